"""The K3 app's pages, split by what they are about."""
