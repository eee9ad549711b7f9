"""Claims: the holder's declaration, the back-office workflow, perils, stages, deadlines, indemnity,
uploaded files."""
