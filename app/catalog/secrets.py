"""Server passwords in the OS keyring. keyring is imported here and nowhere else.

Never a plain-text file behind the user's back: when no keyring is available the user is told
how to get one (or to choose a backend explicitly with PYTHON_KEYRING_BACKEND).
"""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from app.errors import SecretsError

SERVICE = "prelude-player"

_NO_KEYRING = ("No system keyring is available to keep the password safe. Start a Secret "
               "Service (GNOME Keyring, KWallet) or choose a keyring backend explicitly with "
               "PYTHON_KEYRING_BACKEND.")


def _account(server_name: str, user: str) -> str:
    return f"{server_name}/{user}"


def store_password(server_name: str, user: str, password: str) -> None:
    try:
        keyring.set_password(SERVICE, _account(server_name, user), password)
    except NoKeyringError as error:
        raise SecretsError(_NO_KEYRING) from error
    except KeyringError as error:
        raise SecretsError(f"The keyring refused to store the password: {error}") from error


def load_password(server_name: str, user: str) -> str:
    try:
        password = keyring.get_password(SERVICE, _account(server_name, user))
    except NoKeyringError as error:
        raise SecretsError(_NO_KEYRING) from error
    except KeyringError as error:
        raise SecretsError(f"The keyring could not be read: {error}") from error
    if password is None:
        raise SecretsError(f"No password for {user} on {server_name} is in the keyring; add the "
                           "server again.")
    return password


def delete_password(server_name: str, user: str) -> None:
    try:
        keyring.delete_password(SERVICE, _account(server_name, user))
    except (PasswordDeleteError, NoKeyringError):
        pass  # nothing stored, nothing to remove
    except KeyringError as error:
        raise SecretsError(f"The keyring could not remove the password: {error}") from error
