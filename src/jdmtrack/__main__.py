"""``python -m jdmtrack``."""

from jdmtrack.cli import run

if __name__ == "__main__":
    run()
