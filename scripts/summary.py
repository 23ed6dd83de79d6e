"""Adds up what every test runner reported in a scripts/test.sh log and prints one closing line."""

import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
passed = failed = 0
for ok, bad in re.findall(r"^test result: \w+\. (\d+) passed; (\d+) failed", text, re.M):  # cargo test
    passed, failed = passed + int(ok), failed + int(bad)
for line in re.findall(r"^=*\s*(.*\d+ (?:passed|failed).* in [\d.]+s)\s*=*$", text, re.M):  # pytest
    passed += sum(int(n) for n in re.findall(r"(\d+) passed", line))
    failed += sum(int(n) for n in re.findall(r"(\d+) (?:failed|error)", line))
passed += sum(int(n) for n in re.findall(r"^# pass (\d+)$", text, re.M))  # node --test
failed += sum(int(n) for n in re.findall(r"^# fail (\d+)$", text, re.M))
passed += len(re.findall(r"^--- PASS: ", text, re.M))  # go test -v
failed += len(re.findall(r"^--- FAIL: ", text, re.M))
runs = re.findall(r"^Test cases:\n\s+(\d+) generated, (\d+) passed", text, re.M)  # schemathesis
passed += len(runs)
print(f"summary: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
