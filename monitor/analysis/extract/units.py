"""Currencies and physical units as written in press releases, mapped to one canonical name.

One table per family so figure rules stay short and `figure_key` can tell which family a
unit belongs to ("tons" and "mt" are the same measure; "MW" and "GWh" are not).
"""

from __future__ import annotations

# Written form (lower-cased) -> ISO 4217 code.
CURRENCY_WORDS: dict[str, str] = {
    "us dollars": "USD", "u.s. dollars": "USD", "us dollar": "USD", "u.s. dollar": "USD",
    "american dollars": "USD", "dollars": "USD", "dollar": "USD", "usd": "USD",
    "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "cny": "CNY",
    "tenge": "KZT", "kzt": "KZT",
    "euros": "EUR", "euro": "EUR", "eur": "EUR",
    "roubles": "RUB", "rouble": "RUB", "rubles": "RUB", "ruble": "RUB", "rub": "RUB",
    "soms": "KGS", "som": "KGS", "kgs": "KGS",
    "sums": "UZS", "sum": "UZS", "uzs": "UZS",
    "pounds sterling": "GBP", "british pounds": "GBP", "gbp": "GBP",
    "yen": "JPY", "jpy": "JPY",
}
CURRENCY_SYMBOLS: dict[str, str] = {
    "us$": "USD", "u.s.$": "USD", "$": "USD", "usd": "USD", "hk$": "HKD", "a$": "AUD",
    "c$": "CAD", "s$": "SGD", "€": "EUR", "eur": "EUR", "¥": "CNY", "rmb": "CNY", "cny": "CNY",
    "₸": "KZT", "kzt": "KZT", "£": "GBP", "gbp": "GBP", "₽": "RUB", "rub": "RUB", "kgs": "KGS",
    "uzs": "UZS", "jpy": "JPY",
}

# Written form (lower-cased) -> (canonical unit, multiplier into that unit).
QUANTITY_UNITS: dict[str, tuple[str, float]] = {
    "tons": ("tons", 1), "ton": ("tons", 1), "tonnes": ("tons", 1), "tonne": ("tons", 1),
    "metric tons": ("tons", 1), "metric tonnes": ("tons", 1), "mt": ("tons", 1),
    "kilotons": ("tons", 1e3), "kilotonnes": ("tons", 1e3),
    "kilometers": ("km", 1), "kilometres": ("km", 1), "kilometer": ("km", 1),
    "kilometre": ("km", 1), "km": ("km", 1),
    "square kilometers": ("km2", 1), "square kilometres": ("km2", 1), "sq km": ("km2", 1),
    "km2": ("km2", 1),
    "square meters": ("m2", 1), "square metres": ("m2", 1), "square meter": ("m2", 1),
    "square metre": ("m2", 1), "sq m": ("m2", 1), "sq. m": ("m2", 1), "m2": ("m2", 1), "m²": ("m2", 1),
    "millimeters": ("mm", 1), "millimetres": ("mm", 1), "mm": ("mm", 1),
    "centimeters": ("cm", 1), "centimetres": ("cm", 1), "cm": ("cm", 1),
    "passenger-km": ("p-km", 1), "passenger-kilometers": ("p-km", 1), "passenger-kilometres": ("p-km", 1),
    "p-km": ("p-km", 1), "pkm": ("p-km", 1),
    "ton-km": ("t-km", 1), "tonne-km": ("t-km", 1), "ton-kilometers": ("t-km", 1),
    "tonne-kilometres": ("t-km", 1), "t-km": ("t-km", 1), "tkm": ("t-km", 1),
    "miles": ("miles", 1), "mile": ("miles", 1),
    "meters": ("m", 1), "metres": ("m", 1), "meter": ("m", 1), "metre": ("m", 1),
    "teu": ("TEU", 1), "teus": ("TEU", 1), "twenty-foot equivalent units": ("TEU", 1),
    "twenty-foot equivalent unit": ("TEU", 1), "twenty foot equivalent units": ("TEU", 1),
    "kw": ("kW", 1), "kilowatts": ("kW", 1), "kilowatt": ("kW", 1),
    "mw": ("MW", 1), "megawatts": ("MW", 1), "megawatt": ("MW", 1),
    "gw": ("GW", 1), "gigawatts": ("GW", 1), "gigawatt": ("GW", 1),
    "kwh": ("kWh", 1), "mwh": ("MWh", 1), "gwh": ("GWh", 1), "twh": ("TWh", 1),
    "kilowatt-hours": ("kWh", 1), "megawatt-hours": ("MWh", 1), "gigawatt-hours": ("GWh", 1),
    "terawatt-hours": ("TWh", 1),
    "cubic meters": ("m3", 1), "cubic metres": ("m3", 1), "cubic meter": ("m3", 1),
    "cubic metre": ("m3", 1), "m3": ("m3", 1), "m³": ("m3", 1), "bcm": ("m3", 1e9),
    "hectares": ("hectares", 1), "hectare": ("hectares", 1), "ha": ("hectares", 1),
    "barrels": ("barrels", 1), "barrel": ("barrels", 1),
    "liters": ("liters", 1), "litres": ("liters", 1),
    "kilograms": ("kg", 1), "kilogram": ("kg", 1), "kg": ("kg", 1),
    "pounds": ("pounds", 1), "lbs": ("pounds", 1),  # "pounds" alone is a weight; sterling says so
    "days": ("days", 1), "day": ("days", 1), "hours": ("hours", 1), "hour": ("hours", 1),
    "minutes": ("minutes", 1), "minute": ("minutes", 1), "weeks": ("weeks", 1),
    "week": ("weeks", 1), "months": ("months", 1), "month": ("months", 1),
    "km/h": ("km/h", 1),
}
# Case matters for these: "Mt" is megatonnes, "mt" metric tons.
CASED_UNITS: dict[str, tuple[str, float]] = {"Mt": ("tons", 1e6)}

UNIT_FAMILY: dict[str, str] = {
    "tons": "mass", "kg": "mass", "pounds": "mass", "km": "length", "miles": "length", "m": "length",
    "mm": "length", "cm": "length", "m2": "area", "p-km": "passenger-turnover", "t-km": "freight-turnover",
    "km2": "area", "hectares": "area", "TEU": "containers", "kW": "power", "MW": "power",
    "GW": "power", "kWh": "energy", "MWh": "energy", "GWh": "energy", "TWh": "energy",
    "m3": "volume", "barrels": "volume", "liters": "volume", "days": "time", "hours": "time",
    "minutes": "time", "weeks": "time", "months": "time", "years": "time", "times": "ratio",
    "km/h": "speed", "%": "percent", "pp": "percent-points", "bp": "basis-points",
}


def currency_code(written: str) -> str | None:
    """ISO code of a currency as written before or after an amount; None if unknown."""
    w = " ".join(written.lower().split())
    return CURRENCY_SYMBOLS.get(w) or CURRENCY_WORDS.get(w)


def quantity_unit(written: str) -> tuple[str, float] | None:
    """(canonical unit, multiplier) for a unit as written, e.g. 'bcm' -> ('m3', 1e9)."""
    if written in CASED_UNITS:
        return CASED_UNITS[written]
    w = " ".join(written.lower().replace("-", " ").split())
    return QUANTITY_UNITS.get(w) or QUANTITY_UNITS.get(w.replace(" ", "-"))


def unit_family(kind: str, unit: str | None) -> str:
    """A coarse family for comparing figures: the currency for money, the dimension otherwise."""
    if kind == "money":
        return f"money:{unit or '?'}"
    if unit is None:
        return kind
    return UNIT_FAMILY.get(unit, unit.lower())
