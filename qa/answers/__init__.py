"""Making answers from ranked entries: sentences for facts, complete sets for lists and counts."""
