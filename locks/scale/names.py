"""Vocabulary for the scale seed: plausible site, lock, people and event names."""

from __future__ import annotations

PLACES = [
    "Harbour", "Riverside", "Kingsway", "Northgate", "Elm Park", "Castle Hill", "Meadow",
    "Station", "Quayside", "Abbey", "Westfield", "Oakwood", "Bridge Street", "Market",
    "Victoria", "Lakeside", "Granary", "Foundry", "Mill Lane", "Hillcrest", "Seafront",
    "Canal Wharf", "Old Town", "Parkside", "Greenway", "Baker Street", "Orchard", "Southbank",
    "Cathedral", "Ropewalk",
]  # fmt: skip
BUILDINGS = [
    "House", "Depot", "Court", "Apartments", "Lofts", "Studios", "Works", "Yard", "Hall",
    "Lodge", "Offices", "Campus",
]  # fmt: skip
TIME_ZONES = [
    "Europe/London", "Europe/London", "Europe/London", "Europe/Dublin", "Europe/Paris",
    "Europe/Berlin", "Europe/Madrid", "America/New_York", "America/Chicago",
    "America/Los_Angeles", "Australia/Sydney", "Asia/Dubai",
]  # fmt: skip
KITLOCK_NAMES = [
    "Key box", "Plant room", "Bike store", "Bin store", "Cleaner's cupboard", "Meter room",
    "Roof access", "Gate", "Comms room", "Store room", "Linen room", "Garage",
]  # fmt: skip
SMARTLOCK_NAMES = [
    "Front entrance", "Back door", "Apartment", "Room", "Studio", "Office", "Gym", "Reception",
    "Lift lobby", "Side gate",
]  # fmt: skip
LOCATIONS = [
    "Ground floor, by the lifts", "Level 1, east stair", "Level 2, west corridor", "Basement",
    "Courtyard", "Car park entrance", "Roof", "Rear lane", "", "",
]  # fmt: skip
FIRST_NAMES = [
    "Alice", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hugo", "Isla", "Jon", "Kemi",
    "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vik",
    "Wen", "Yara", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Jones", "Patel", "Nguyen", "Okafor", "Garcia", "Müller", "Rossi", "Kowalski",
    "Brown", "Taylor", "Khan", "Silva", "Murphy", "Evans", "Walsh", "Chen", "Ahmed",
]  # fmt: skip
DOMAINS = ["example.com", "mail.example.org", "tenants.example.net", "staff.example.co.uk"]
AUDIT_EVENTS = [
    (30, "Unlock", "Unlocked with a NetCode on the keypad"),
    (15, "Unlock", "Unlocked via Bluetooth by {person}"),
    (25, "Lock", "Locked (auto relock)"),
    (10, "Code entered", "Invalid code entered on the keypad"),
    (6, "Code entered", "PIN code entered (user 3)"),
    (2, "Battery low", "Battery low (15%)"),
    (12, "Sync", "Audit synchronised via Bluetooth"),
]
DURATIONS = [(1, "1 hour", 1), (2, "2 hours", 2), (4, "4 hours", 4), (8, "8 hours", 8)]
DAY_DURATIONS = [(24, "1 day", 24), (26, "3 days", 72), (30, "7 days", 168)]
NOTES = ["", "", "", "Contractor", "Cleaner", "Guest", "Delivery", "Viewing"]
