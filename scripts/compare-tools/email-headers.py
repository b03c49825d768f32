#!/usr/bin/env python3
"""The Python baseline: parse every message's headers with the standard library's `email`
package, the way an operator's own script would sort a Maildir.

For every file in a cur/ or new/ folder under each Maildir PATH (Maildir++ dot-folders
included), parses the header block
(`email.parser.BytesHeaderParser` with `email.policy.default`) and decodes From, To, Cc, Subject
and Date, as classify must. One process, one thread. Prints the number of messages and how many
had a parse defect.

    python3 scripts/compare-tools/email-headers.py /tmp/store/Maildir
"""
import email.policy
import os
import sys
from email.parser import BytesHeaderParser

parser = BytesHeaderParser(policy=email.policy.default)


def look(message):
    """Decode what a classifier needs; a header that cannot be decoded counts as a defect."""
    defects = len(message.defects)
    for name in ("From", "To", "Cc", "Subject", "Date"):
        try:
            value = message[name]
            if value is not None and name == "Date":
                value.datetime
            elif value is not None and name in ("From", "To", "Cc"):
                [a.addr_spec for a in value.addresses]
        except Exception:
            defects += 1
    return defects


def messages(path):
    for folder, dirs, files in os.walk(path):
        if os.path.basename(folder) not in ("cur", "new"):
            continue
        for name in files:
            with open(os.path.join(folder, name), "rb") as f:
                yield parser.parse(f)


count = with_defects = 0
for path in sys.argv[1:]:
    for message in messages(path):
        count += 1
        with_defects += look(message) > 0
print(f"{count} messages, {with_defects} with defects")
