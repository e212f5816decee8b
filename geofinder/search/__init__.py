"""Search: what + where → the nearest places, the one read path of API, pages, embed and exports."""
