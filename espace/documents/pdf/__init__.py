"""PDF documents rendered with fpdf2 on one branded template."""
