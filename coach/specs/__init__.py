"""Exercise and routine specs: the model (``model``), the file reader (``reader``), routines (``routine``)."""
