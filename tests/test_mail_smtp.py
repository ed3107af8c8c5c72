"""`marsad email --send` through the real CLI to a real SMTP server on localhost (aiosmtpd)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from email.header import decode_header

import pytest

from conftest import marsad
from mailserver import (
    accept_login, mail_project, self_signed_certificate, server_tls_context, start_server,
)
from test_end_to_end import KNOWN_QUOTE, KNOWN_SPEAKER

from generator.mail import MAX_MESSAGE_BYTES

DAY = "2026-11-27"


@pytest.fixture
def smtp():
    server, controller = start_server()
    yield server
    controller.stop()


@pytest.fixture
def folder(project, first_run, tmp_path, smtp):
    assert first_run.returncode == 0, first_run.stderr
    return mail_project(project, tmp_path / "mail", {"port": smtp.port})


def send(folder, *args):
    return marsad(folder, "email", "--date", DAY, "--send", *args)


def test_each_recipient_gets_one_multipart_message_with_both_parts(folder, smtp):
    result = send(folder)
    assert result.returncode == 0, result.stderr
    assert "email: 3 sent (0 after retries), 0 refused, 0 deferred, 0 already sent" in result.stdout
    assert smtp.recipients() == ["editor@example.org", "libya@example.org", "energy@example.org"]
    raw = smtp.received[0].data
    message = smtp.received[0].message
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in message.iter_parts())
    # The Arabic subject travels as RFC 2047 encoded words and decodes back whole.
    raw_subject = re.search(rb"^Subject: (.*?)\r\n(?=\S)", raw, re.M | re.S).group(1)
    assert raw_subject.isascii() and b"=?utf-8?b?" in raw_subject
    decoded = "".join(part.decode(charset or "ascii") if isinstance(part, bytes) else part
                      for part, charset in decode_header(raw_subject.decode()))
    assert decoded == message["Subject"] == "مرصد — الموجز اليومي: موجز الجمعة، 27 نوفمبر 2026"
    assert message["From"].addresses[0].addr_spec == "marsad@example.org"
    assert message["To"].addresses[0].display_name == "رئيسة التحرير"
    assert message["Reply-To"] == "desk@example.org"
    assert message["List-Unsubscribe"].strip() == (  # folded after the colon: long URLs
        "<https://marsad.example.org/unsubscribe?address=editor%40example.org>, "
        "<mailto:unsubscribe@example.org?subject=unsubscribe>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Date"].datetime.tzinfo is not None
    ids = {r.message["Message-ID"] for r in smtp.received}
    assert len(ids) == 3 and all(i.startswith("<marsad.day.20261127.") for i in ids)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert 'href="javascript' not in html and "<script" not in html
    for part in (text, html):
        assert KNOWN_QUOTE in part and KNOWN_SPEAKER in part
        assert "حذر البنك المركزي المصري المواطنين من رسائل" in part  # the hostile sample item
        assert "https://wakala.example/news/2026/11/27/aboul-gheit-libya-political-solution" in part


def test_a_watchlist_recipient_gets_only_its_watchlists_sections(folder, smtp):
    assert send(folder).returncode == 0
    by_address = {r.recipient: r.message for r in smtp.received}
    libya = by_address["libya@example.org"]
    assert libya["Subject"].endswith("— ليبيا")
    text = libya.get_body(("plain",)).get_content()
    html = libya.get_body(("html",)).get_content()
    for part in (text, html):
        assert "ليبيا" in part and KNOWN_QUOTE in part
        assert "سياسة" not in part and "اقتصاد" not in part  # the digest's own sections are gone
        assert "الوداد" not in part and "الحصبة" not in part  # football and health are not Libya
    energy = by_address["energy@example.org"].get_body(("plain",)).get_content()
    assert "== الطاقة والاقتصاد ==" in energy and "أوبك" in energy and KNOWN_QUOTE not in energy
    everything = by_address["editor@example.org"].get_body(("plain",)).get_content()
    assert "== قصص اليوم ==" in everything and "الوداد" in everything


def test_sending_twice_sends_nothing_the_second_time(folder, smtp):
    assert send(folder).returncode == 0
    again = send(folder)
    assert again.returncode == 0, again.stderr
    assert "email: 0 sent (0 after retries), 0 refused, 0 deferred, 3 already sent" in again.stdout
    assert len(smtp.received) == 3 and smtp.mails == 3


def test_a_refused_recipient_is_reported_and_the_others_are_sent(folder, smtp):
    smtp.refuse["libya@example.org"] = "550 5.1.1 No such mailbox"
    result = send(folder)
    assert result.returncode == 1
    assert "libya@example.org: refused after 1 attempt(s): 550 5.1.1 No such mailbox" in result.stderr
    assert "2 sent (0 after retries), 1 refused" in result.stdout
    assert smtp.recipients() == ["editor@example.org", "energy@example.org"]
    assert smtp.rcpt_attempts["libya@example.org"] == 1  # a permanent failure is not retried
    del smtp.refuse["libya@example.org"]  # the address is fixed: only it is sent now
    again = send(folder)
    assert again.returncode == 0, again.stderr
    assert smtp.recipients() == ["editor@example.org", "energy@example.org", "libya@example.org"]


def test_a_temporary_failure_is_retried_with_backoff(folder, smtp):
    smtp.defer["editor@example.org"] = 2
    result = send(folder)
    assert result.returncode == 0, result.stderr
    assert "3 sent (1 after retries)" in result.stdout
    assert smtp.rcpt_attempts["editor@example.org"] == 3
    assert smtp.recipients().count("editor@example.org") == 1


def test_a_server_that_keeps_deferring_leaves_the_message_for_the_next_run(folder, smtp):
    smtp.defer["energy@example.org"] = 100
    result = send(folder)
    assert result.returncode == 1
    assert "energy@example.org: deferred after 4 attempt(s): 451 4.3.0" in result.stderr
    smtp.defer["energy@example.org"] = 0
    assert send(folder).returncode == 0
    assert sorted(smtp.recipients()) == ["editor@example.org", "energy@example.org", "libya@example.org"]


def test_starttls_with_a_self_signed_certificate_and_a_login_from_the_environment(
        project, first_run, tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    server, controller = start_server(tls_context=server_tls_context(cert, key),
                                      require_starttls=True, auth_require_tls=True,
                                      authenticator=accept_login("desk", "s3cret"))
    try:
        smtp = {"port": server.port, "security": "starttls", "user_env": "TEST_SMTP_USER",
                "password_env": "TEST_SMTP_PASSWORD"}
        untrusting = mail_project(project, tmp_path / "untrusting", smtp)
        env = {"TEST_SMTP_USER": "desk", "TEST_SMTP_PASSWORD": "s3cret"}
        refused = run_with(untrusting, env)
        assert refused.returncode == 2
        assert refused.stderr.startswith("marsad: error: smtp 127.0.0.1:") and "TLS failed" in refused.stderr
        assert "email.smtp.ca_file" in refused.stderr and "Traceback" not in refused.stderr
        folder = mail_project(project, tmp_path / "trusting", {**smtp, "ca_file": str(cert)})
        assert "s3cret" not in (folder / "marsad.yml").read_text(encoding="utf-8")
        missing = run_with(folder, {"TEST_SMTP_USER": "desk"})
        assert missing.returncode == 2
        assert "email.smtp.password_env: the environment variable TEST_SMTP_PASSWORD is not set" \
            in missing.stderr
        result = run_with(folder, env)
        assert result.returncode == 0, result.stderr
        assert len(server.received) == 3
        assert all(r.tls and r.login == "desk" for r in server.received)
    finally:
        controller.stop()


def run_with(folder, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TEST_SMTP_")}
    return subprocess.run([sys.executable, "-m", "generator", "--no-progress", "email", "--date",
                           DAY, "--send"], cwd=folder, env={**clean, **env}, capture_output=True,
                          text=True, timeout=600)


def test_a_kill_between_two_deliveries_then_a_rerun_sends_each_message_once(folder, smtp):
    child: list[subprocess.Popen] = []

    def kill_at_second_message(count: int) -> None:
        if count == 2:  # the first message was accepted and recorded; the second just began
            os.kill(child[0].pid, signal.SIGKILL)

    smtp.on_mail = kill_at_second_message
    child.append(subprocess.Popen(
        [sys.executable, "-m", "generator", "--no-progress", "email", "--date", DAY, "--send"],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    child[0].communicate(timeout=600)
    assert child[0].returncode == -signal.SIGKILL
    assert smtp.recipients() == ["editor@example.org"]
    smtp.on_mail = None
    rerun = send(folder)
    assert rerun.returncode == 0, rerun.stderr
    assert "2 sent (0 after retries), 0 refused, 0 deferred, 1 already sent" in rerun.stdout
    assert smtp.recipients() == ["editor@example.org", "libya@example.org", "energy@example.org"]


def test_run_sends_what_is_due_once(project, first_run, tmp_path, smtp):
    recipients = [{"address": "daily@example.org", "period": "daily", "send_empty": True},
                  {"address": "weekly@example.org", "period": "weekly", "send_empty": True}]
    folder = mail_project(project, tmp_path / "run", {"port": smtp.port}, recipients)
    first = marsad(folder, "run")
    assert first.returncode == 0, first.stderr
    assert "email: 2 sent" in first.stdout
    assert sorted(smtp.recipients()) == ["daily@example.org", "weekly@example.org"]
    second = marsad(folder, "run")
    assert second.returncode == 0, second.stderr
    assert "email: 0 sent (0 after retries), 0 refused, 0 deferred, 2 already sent" in second.stdout
    assert len(smtp.received) == 2


def test_without_send_the_messages_are_written_to_the_outbox(folder, smtp):
    result = marsad(folder, "email", "--date", DAY)
    assert result.returncode == 0, result.stderr
    paths = [line for line in result.stdout.splitlines() if line.endswith(".eml")]
    assert paths == [f".marsad/outbox/day-{DAY}/{a}.eml" for a in
                     ("editor@example.org", "libya@example.org", "energy@example.org")]
    assert "email: 3 messages written to .marsad/outbox" in result.stdout
    assert smtp.mails == 0
    for path in paths:  # the samples' messages, each whole under the limit
        assert 10_000 < (folder / path).stat().st_size <= MAX_MESSAGE_BYTES
    weekly = marsad(folder, "email", "--date", DAY, "--period", "week")
    assert weekly.returncode == 0 and "nothing to write or send" in weekly.stdout


def test_implicit_tls(project, first_run, tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    server, controller = start_server(ssl_context=server_tls_context(cert, key))
    try:
        plain = mail_project(project, tmp_path / "plain", {"port": server.port, "timeout": 5})
        refused = send(plain)  # the server speaks nothing but TLS
        assert refused.returncode == 2 and refused.stderr.startswith("marsad: error: smtp 127.0.0.1:")
        assert "Traceback" not in refused.stderr
        folder = mail_project(project, tmp_path / "tls", {"port": server.port, "security": "tls",
                                                          "ca_file": str(cert)})
        result = send(folder)
        assert result.returncode == 0, result.stderr
        assert len(server.received) == 3
    finally:
        controller.stop()
