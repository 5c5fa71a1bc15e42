package geo

// countryZones are the IANA time zones of countries that keep one zone
// everywhere (their overseas parts, if any, are other ISO codes: GP, RE...).
// Countries spread over several zones (US, CA, AU, BR, MX, RU, ES with the
// Canaries, PT with the Azores, ...) are left out on purpose: no zone is the
// obvious one for an address there.
var countryZones = map[string]string{
	"AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia", "CH": "Europe/Zurich",
	"CY": "Asia/Nicosia", "CZ": "Europe/Prague", "DE": "Europe/Berlin", "DK": "Europe/Copenhagen",
	"EE": "Europe/Tallinn", "FI": "Europe/Helsinki", "FR": "Europe/Paris", "GB": "Europe/London",
	"GR": "Europe/Athens", "HR": "Europe/Zagreb", "HU": "Europe/Budapest", "IE": "Europe/Dublin",
	"IS": "Atlantic/Reykjavik", "IT": "Europe/Rome", "LI": "Europe/Vaduz", "LT": "Europe/Vilnius",
	"LU": "Europe/Luxembourg", "LV": "Europe/Riga", "MC": "Europe/Monaco", "MT": "Europe/Malta",
	"NL": "Europe/Amsterdam", "NO": "Europe/Oslo", "PL": "Europe/Warsaw", "RO": "Europe/Bucharest",
	"RS": "Europe/Belgrade", "SE": "Europe/Stockholm", "SI": "Europe/Ljubljana", "SK": "Europe/Bratislava",
	"UA": "Europe/Kyiv", "TR": "Europe/Istanbul", "IL": "Asia/Jerusalem", "AE": "Asia/Dubai",
	"IN": "Asia/Kolkata", "JP": "Asia/Tokyo", "KR": "Asia/Seoul", "SG": "Asia/Singapore",
	"HK": "Asia/Hong_Kong", "TW": "Asia/Taipei", "CN": "Asia/Shanghai", "TH": "Asia/Bangkok",
	"PH": "Asia/Manila", "VN": "Asia/Ho_Chi_Minh", "ZA": "Africa/Johannesburg", "MA": "Africa/Casablanca",
	"EG": "Africa/Cairo", "NG": "Africa/Lagos", "KE": "Africa/Nairobi", "AR": "America/Argentina/Buenos_Aires",
	"CO": "America/Bogota", "PE": "America/Lima", "UY": "America/Montevideo",
}

// CountryZone is the IANA time zone of a country (ISO 3166-1 alpha-2, any
// case) that has one obvious zone, and false for a country spread over several.
func CountryZone(country string) (string, bool) {
	z, ok := countryZones[asciiUpper(country)]
	return z, ok
}
