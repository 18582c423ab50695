"""`python -m idlint` runs the command line."""

from idlint.cli import main

if __name__ == "__main__":
    main()
