"""A local SMTP server speaking the real protocol (RFC 5321: greeting, EHLO/HELO, MAIL, RCPT, DATA,
RSET, NOOP, QUIT) for Django's SMTP email backend (smtplib) to talk to. It keeps the messages it
accepts and can answer DATA slowly, like a real relay across the network."""

from __future__ import annotations

import socketserver
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: str


@dataclass
class SmtpState:
    delay: float = 0.0  # seconds before accepting each message's DATA
    messages: list[Received] = field(default_factory=list)


class _Session(socketserver.StreamRequestHandler):
    server: SmtpServer

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 localhost ESMTP fake")
        sender, recipients = "", []
        while raw := self.rfile.readline():
            command = raw.decode().rstrip("\r\n")
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-localhost")
                self.reply("250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 localhost")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (line := self.rfile.readline().decode()) not in (".\r\n", ""):
                    lines.append(line[1:] if line.startswith("..") else line)
                time.sleep(self.server.state.delay)
                self.server.state.messages.append(Received(sender, recipients, "".join(lines)))
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, state: SmtpState) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.state = state

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self) -> SmtpServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
