"""Email settings: SMTP sign-in with the password from a file, like the other secrets."""


def test_the_smtp_password_can_come_from_a_file(tmp_path, monkeypatch):
    from ipsworks.config.env import env_secret

    secret = tmp_path / "smtp-password"
    secret.write_text("not-a-real-password\n")
    monkeypatch.delenv("IPS_EMAIL_HOST_PASSWORD", raising=False)
    monkeypatch.setenv("IPS_EMAIL_HOST_PASSWORD_FILE", str(secret))
    assert env_secret("IPS_EMAIL_HOST_PASSWORD", fallback="") == "not-a-real-password"
    monkeypatch.delenv("IPS_EMAIL_HOST_PASSWORD_FILE")
    assert env_secret("IPS_EMAIL_HOST_PASSWORD", fallback="") == ""
