"""`python -m casestore <command>`: see casestore.cli."""
from casestore.cli import main

if __name__ == "__main__":
    main()
