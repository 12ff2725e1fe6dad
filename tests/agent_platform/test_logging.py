import json
import logging

from agent_platform.logs import JsonFormatter, RequestIdFilter, request_id_var


def test_json_log_lines_carry_request_id_and_extra_fields():
    record = logging.LogRecord("agent_platform.test", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    record.status = 201
    token = request_id_var.set("req-42")
    try:
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["message"] == "hello world"
    assert line["request_id"] == "req-42"
    assert line["status"] == 201
    assert line["level"] == "INFO"


def test_exceptions_are_serialised():
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert "ValueError: bad" in line["exc_info"]
