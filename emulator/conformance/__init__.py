"""Conformance: run a provider's scenarios against a server and against the emulator, and compare.

Scenarios are data (``scenarios/<provider>/*.json``): requests with token names, run twice, once against
the server under test and once against a fresh in-process emulator. The answers are normalised (generated
ids numbered by first appearance, timestamps, base URLs) before they are compared.
"""
