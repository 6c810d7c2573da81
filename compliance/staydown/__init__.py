"""Stay-down: what was withdrawn does not come back under another URL, lightly edited,
excerpted or translated. The publish gate (gate.py) runs before anything is published."""
