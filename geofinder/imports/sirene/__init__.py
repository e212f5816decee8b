"""The SIRENE register of establishments (INSEE), geolocated by Etalab or by INSEE, as places."""
