"""alur: a declarative workflow engine for public-service procedures."""
