"""Print a DATABASE_URL for the test run on PostgreSQL, or nothing when no server answers.

Uses $DATABASE_URL when it points at PostgreSQL; otherwise tries a local server on
127.0.0.1:5432 (trust auth, as the CI machine and the usual developer set-up have).
"""

import os
import sys


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    candidates = [url] if url.startswith(("postgres://", "postgresql://")) else []
    user = os.environ.get("PGUSER", "postgres")
    candidates.append(f"postgres://{user}@127.0.0.1:5432/insuredesk")
    try:
        import psycopg
    except ImportError:
        return 0
    for candidate in candidates:
        admin = candidate.rsplit("/", 1)[0] + "/postgres"
        try:
            with psycopg.connect(admin, connect_timeout=3) as connection:
                connection.execute("SELECT 1")
        except psycopg.Error:
            continue
        print(candidate)
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
