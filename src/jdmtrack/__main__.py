"""``python -m jdmtrack``."""

from jdmtrack.cli import main

if __name__ == "__main__":
    main()
