"""Comments arrive with the moderated-comments work."""
