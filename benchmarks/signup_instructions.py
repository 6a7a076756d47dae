"""CPU instructions of one sign-up through the test client, counted by valgrind: a measure
the load of a shared machine does not move.

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.out \\
        .venv/bin/python benchmarks/signup_instructions.py single|group [--sign-ups 20]
        [--no-questions] [--root OTHER_CHECKOUT]

Builds a SQLite database in a temporary folder with one event asking one question of each
person (lunch), signs up a few people to warm up, then switches valgrind's counting on
(`callgrind_control`) for `--sign-ups` more and off again; divide the "Collected" count valgrind
prints by the number of sign-ups. With `--send` each sign-up's mail is written and sent (to
.eml files) within the count: the whole work of a sign-up, wherever a checkout does it. `group` posts forms with two companions each (three people
per form). `--root` runs the code of another checkout (for an A/B against another branch; its
questions are left out when its models have none).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("single", "group"))
    parser.add_argument("--sign-ups", type=int, default=20)
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--no-questions", action="store_true", help="the event asks none")
    parser.add_argument(
        "--send",
        action="store_true",
        help="count each sign-up's mail being written and sent (to .eml files) too",
    )
    args = parser.parse_args()
    sys.path.insert(0, args.root)

    import sqlalchemy as sa
    from flask_migrate import upgrade

    import registration.models as models
    from registration import create_app
    from registration.extensions import db
    from registration.mail.sender import send_pending
    from tests.factories import make_event

    folder = tempfile.mkdtemp()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
            "SECRET_KEY": "benchmark-secret-key-0123456789abcdef0123456789",
            "WTF_CSRF_ENABLED": False,
            "MAIL_BACKGROUND_SENDER": False,
            "RATELIMIT_ENABLED": False,
            "SIGNUP_MIN_SECONDS": 0,
        },
        instance_path=folder,
    )
    with app.app_context():
        upgrade()
        event = make_event(capacity=100_000)
        fields = {}
        if hasattr(models, "Question") and not args.no_questions:
            lunch = models.Question(
                position=1, kind=models.QuestionKind.YES_NO, label_lv="Pusdienas",
                asks_each_person=True,
            )  # fmt: skip
            event.questions.append(lunch)
            db.session.commit()
            fields = {f"answers-q{lunch.id}": "yes"}
        slug = event.slug
        db.session.remove()
    client = app.test_client()
    # The form's hidden fields (its signed stamp) as a browser gets them; one form serves
    # every sign-up here (fewer than SIGNUP_FORM_MAX_USES).
    page = client.get(f"/notikumi/{slug}").get_data(as_text=True)
    hidden = dict(
        re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', page)
    )

    def letters(n: int) -> str:
        return "".join("abcdefghijklmnopqrstuvwxyz"[int(d)] for d in str(n))

    def sign_up(n: int) -> None:
        form = {
            **hidden, "first_name": "Jānis", "last_name": f"Bērziņš {letters(n)}",
            "email": f"p{n}@example.lv", "place": "Koknese", "consent": "y", **fields,
        }  # fmt: skip
        if args.mode == "group":
            for i in range(2):
                form |= {
                    f"companions-{i}-first_name": f"Pavadonis {letters(i)}",
                    f"companions-{i}-last_name": f"Bērziņš {letters(n)}",
                    f"companions-{i}-place": "Koknese",
                    **{f"companions-{i}-{k}": v for k, v in fields.items()},
                }
        response = client.post(f"/notikumi/{slug}", data=form)
        assert response.status_code == 303, response.status_code
        if args.send:
            with app.app_context():
                assert send_pending().sent >= 1

    for n in range(10):
        sign_up(n)
    control = ["callgrind_control", "--instr"]
    subprocess.run([*control, "on", str(os.getpid())], check=False, capture_output=True)
    for n in range(10, 10 + args.sign_ups):
        sign_up(n)
    subprocess.run([*control, "off", str(os.getpid())], check=False, capture_output=True)
    with app.app_context():
        saved = db.session.scalar(sa.select(sa.func.count()).select_from(models.Registration))
    people = (3 if args.mode == "group" else 1) * (10 + args.sign_ups)
    assert saved == people, f"{saved} registrations saved, {people} expected"


if __name__ == "__main__":
    main()
