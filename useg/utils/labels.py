"""The label value that no loss, metric or pseudo label counts."""
IGNORE_INDEX = 255
