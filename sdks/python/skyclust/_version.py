"""The version of the SDK: that of the API contract (openapi.json `info.version`) it is written for."""

__version__ = "0.1.0"
