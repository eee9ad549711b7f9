"""The holder's document library, private file storage kept in step with its rows, PDF rendering."""
