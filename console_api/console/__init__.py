"""Console tokens and the console types the service knows."""
