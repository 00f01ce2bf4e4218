"""Other apps under the names editors read in the admin's index."""

from axes.apps import AppConfig as AxesConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpConfig


class LockoutConfig(AxesConfig):
    verbose_name = "Sign-in lockout"


class TwoFactorDevicesConfig(TotpConfig):
    verbose_name = "Two-factor devices"
