import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r'(?:env(?:\.\w+)?|env_secret|environ\.get|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]+)"')
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE"}


def test_env_example_lists_every_variable_the_code_reads():
    sources = [*ROOT.glob("agent_platform/**/*.py"), *ROOT.glob("scripts/*.py"), *ROOT.glob("*/demo.py")]
    read = {name for path in sources for name in READ.findall(path.read_text())} - NOT_SETTINGS
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "the pattern found no variable: it is broken"
    assert sorted(read - listed) == []
