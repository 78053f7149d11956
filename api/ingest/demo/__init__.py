"""The generated demo town: a deterministic generator and its loader."""
