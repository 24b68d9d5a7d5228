"""The plan's charts, drawn as SVG on the server from plain data so pages and reports show the same picture."""
