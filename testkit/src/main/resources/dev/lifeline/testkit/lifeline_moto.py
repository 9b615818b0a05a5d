"""Starts moto's server for Lifeline's tests.

Usage: python lifeline_moto.py -H 127.0.0.1 -p PORT

A launcher (rather than the moto_server script) so the test kit can add to moto, in one
reviewed place, behaviour that the emulator lacks but the tests need.
"""
import sys

from moto import server


if __name__ == "__main__":
    server.main(sys.argv[1:])
