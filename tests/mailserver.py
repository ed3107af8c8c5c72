"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), and a project ready to mail from.

The server keeps every message it accepts; it can refuse an address for good (5xx), put one off
a number of times (4xx), require STARTTLS and a login, and call back at each MAIL command."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    recipient: str
    data: bytes
    tls: bool
    login: str

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)


@dataclass
class SmtpServer:
    port: int
    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> permanent reply
    defer: Counter = field(default_factory=Counter)  # address -> 451 replies still to give
    rcpt_attempts: Counter = field(default_factory=Counter)
    mails: int = 0
    on_mail: Callable[[int], None] | None = None  # called with the count of MAIL commands

    def recipients(self) -> list[str]:
        return [r.recipient for r in self.received]

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mails += 1
        if self.on_mail:
            self.on_mail(self.mails)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_attempts[address] += 1
        if address in self.refuse:
            return self.refuse[address]
        if self.defer[address] > 0:
            self.defer[address] -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else ""
        for recipient in envelope.rcpt_tos:
            self.received.append(Received(recipient, envelope.original_content or envelope.content,
                                          session.ssl is not None, login))
        return "250 2.0.0 Accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(**controller_options) -> tuple[SmtpServer, Controller]:
    server = SmtpServer(free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port, **controller_options)
    controller.start()
    return server, controller


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1 that signs itself, and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "server.crt", folder / "server.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def server_tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def accept_login(user: str, password: str):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and \
            (auth_data.login, auth_data.password) == (user.encode(), password.encode())
        return AuthResult(success=ok, auth_data=auth_data)

    return authenticator


RECIPIENTS = [
    {"address": "editor@example.org", "name": "رئيسة التحرير", "period": "daily"},
    {"address": "libya@example.org", "name": "مكتب ليبيا", "period": "daily",
     "watchlists": ["ليبيا"]},
    {"address": "energy@example.org", "name": "Energy Desk", "period": "daily",
     "watchlists": ["الطاقة والاقتصاد"]},
]


def mail_project(source: Path, folder: Path, smtp: dict | None,
                 recipients: list[dict] = RECIPIENTS) -> Path:
    """A copy of an analyzed project (configuration, samples, store) that mails to `smtp`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml",):
        shutil.copy(source / name, folder / name)
    shutil.copytree(source / "samples", folder / "samples")
    shutil.copytree(source / "content", folder / "content")
    (folder / ".marsad").mkdir()
    shutil.copy(source / ".marsad" / "marsad.sqlite", folder / ".marsad" / "marsad.sqlite")
    config = yaml.safe_load((source / "marsad.yml").read_text(encoding="utf-8"))
    config["site_url"] = "https://marsad.example.org/"
    config["email"] = {
        "from": "marsad@example.org", "reply_to": "desk@example.org",
        "unsubscribe_url": "https://marsad.example.org/unsubscribe?address={address}",
        "unsubscribe_address": "unsubscribe@example.org",
        "recipients": recipients,
    }
    if smtp is not None:
        config["email"]["smtp"] = {"host": "127.0.0.1", "security": "none", "backoff": 0.05,
                                   **smtp}
    (folder / "marsad.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    return folder
