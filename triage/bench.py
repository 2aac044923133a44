"""`python -m triage.bench` (make bench): runs the benchmark in triage.tools.bench."""

from triage.tools.bench import main

if __name__ == "__main__":
    main()
