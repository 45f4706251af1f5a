"""Where seeded people live: regions, their cities and IANA zones, currencies and names.

Weights are rough shares of a remote-first talent community, not statistics.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    location: str
    zone: str
    # (currency, weight): people in many places quote in USD or EUR rather than locally.
    currencies: tuple[tuple[str, float], ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Region:
    key: str
    label: str
    weight: float
    # Rates relative to North America for the same role and seniority.
    rate_factor: float
    cities: tuple[City, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


EUR = (("EUR", 1.0),)
USD = (("USD", 1.0),)

# fmt: off
REGIONS: tuple[Region, ...] = (
    Region(
        key="europe",
        label="Europe",
        weight=32,
        rate_factor=0.82,
        cities=(
            City("London, United Kingdom", "Europe/London", (("GBP", 0.9), ("EUR", 0.1)), 3),
            City("Berlin, Germany", "Europe/Berlin", EUR, 3),
            City("Munich, Germany", "Europe/Berlin", EUR, 1),
            City("Paris, France", "Europe/Paris", EUR, 2),
            City("Madrid, Spain", "Europe/Madrid", EUR, 1.5),
            City("Barcelona, Spain", "Europe/Madrid", EUR, 1.5),
            City("Amsterdam, Netherlands", "Europe/Amsterdam", EUR, 2),
            City("Lisbon, Portugal", "Europe/Lisbon", EUR, 1.5),
            City("Dublin, Ireland", "Europe/Dublin", EUR, 1),
            City("Milan, Italy", "Europe/Rome", EUR, 1),
            City(
                "Warsaw, Poland", "Europe/Warsaw", (("PLN", 0.5), ("EUR", 0.3), ("USD", 0.2)), 1.5
            ),
            City("Kraków, Poland", "Europe/Warsaw", (("PLN", 0.5), ("EUR", 0.3), ("USD", 0.2)), 1),
            City("Stockholm, Sweden", "Europe/Stockholm", (("SEK", 0.7), ("EUR", 0.3)), 1),
            City("Copenhagen, Denmark", "Europe/Copenhagen", (("DKK", 0.7), ("EUR", 0.3)), 0.7),
            City("Oslo, Norway", "Europe/Oslo", (("NOK", 0.8), ("EUR", 0.2)), 0.5),
            City("Zurich, Switzerland", "Europe/Zurich", (("CHF", 0.8), ("EUR", 0.2)), 0.7),
            City("Vienna, Austria", "Europe/Vienna", EUR, 0.7),
            City("Prague, Czechia", "Europe/Prague", (("EUR", 0.7), ("USD", 0.3)), 0.8),
            City("Bucharest, Romania", "Europe/Bucharest", (("EUR", 0.6), ("USD", 0.4)), 0.8),
            City("Kyiv, Ukraine", "Europe/Kyiv", (("USD", 0.8), ("EUR", 0.2)), 1),
            City("Athens, Greece", "Europe/Athens", EUR, 0.5),
            City("Helsinki, Finland", "Europe/Helsinki", EUR, 0.5),
            City("Tallinn, Estonia", "Europe/Tallinn", EUR, 0.4),
        ),
        first_names=(
            "Anna", "Lukas", "Sophie", "Jonas", "Emma", "Matteo", "Giulia", "Lucas", "Chloé",
            "Hugo", "Marta", "Pablo", "Lucía", "Daan", "Sanne", "Oliver", "Amelia", "Jakub",
            "Zofia", "Elin", "Erik", "Freya", "Nils", "Inès", "Tomás", "Beatriz", "Aoife",
            "Cian", "Olena", "Taras", "Eleni", "Nikos", "Katarzyna", "Andrei", "Ioana", "Lena",
            "Felix", "Clara", "Jan", "Sara",
        ),
        last_names=(
            "Müller", "Schmidt", "Fischer", "Weber", "Rossi", "Bianchi", "Martin", "Bernard",
            "Dubois", "García", "Fernández", "López", "de Vries", "Jansen", "Smith", "Jones",
            "Taylor", "Brown", "Kowalski", "Nowak", "Andersson", "Johansson", "Nielsen",
            "Hansen", "Silva", "Santos", "Murphy", "Kelly", "Shevchenko", "Kovalenko",
            "Papadopoulos", "Novák", "Popescu", "Wagner", "Keller", "Virtanen", "Tamm",
            "Moreau", "Costa", "Ricci",
        ),
    ),
    Region(
        key="north_america",
        label="North America",
        weight=25,
        rate_factor=1.0,
        cities=(
            City("New York, USA", "America/New_York", USD, 3),
            City("Boston, USA", "America/New_York", USD, 1),
            City("Atlanta, USA", "America/New_York", USD, 1),
            City("Chicago, USA", "America/Chicago", USD, 1.5),
            City("Austin, USA", "America/Chicago", USD, 1.5),
            City("Denver, USA", "America/Denver", USD, 1),
            City("Phoenix, USA", "America/Phoenix", USD, 0.5),
            City("San Francisco, USA", "America/Los_Angeles", USD, 2.5),
            City("Los Angeles, USA", "America/Los_Angeles", USD, 1.5),
            City("Seattle, USA", "America/Los_Angeles", USD, 1.5),
            City("Portland, USA", "America/Los_Angeles", USD, 0.7),
            City("Toronto, Canada", "America/Toronto", (("CAD", 0.7), ("USD", 0.3)), 2),
            City("Montreal, Canada", "America/Toronto", (("CAD", 0.7), ("USD", 0.3)), 1),
            City("Vancouver, Canada", "America/Vancouver", (("CAD", 0.7), ("USD", 0.3)), 1.2),
        ),
        first_names=(
            "James", "Emily", "Michael", "Olivia", "Daniel", "Ava", "Ethan", "Madison", "Noah",
            "Abigail", "Liam", "Harper", "Mason", "Ella", "Logan", "Chloe", "Tyler", "Grace",
            "Jordan", "Hannah", "Ryan", "Megan", "Kevin", "Priya", "Wei", "Aisha", "Carlos",
            "Jasmine", "Marcus", "Keisha", "Brandon", "Rachel", "Connor", "Zoe", "Dylan",
        ),
        last_names=(
            "Johnson", "Williams", "Miller", "Davis", "Wilson", "Anderson", "Thomas", "Moore",
            "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "Allen",
            "King", "Wright", "Scott", "Nguyen", "Chen", "Patel", "Kim", "Rodriguez",
            "Martinez", "Tremblay", "Gagnon", "Roy", "Campbell", "Mitchell", "Turner",
        ),
    ),
    Region(
        key="latam",
        label="Latin America",
        weight=14,
        rate_factor=0.55,
        cities=(
            City("São Paulo, Brazil", "America/Sao_Paulo", (("USD", 0.6), ("BRL", 0.4)), 3),
            City("Rio de Janeiro, Brazil", "America/Sao_Paulo", (("USD", 0.6), ("BRL", 0.4)), 1),
            City("Florianópolis, Brazil", "America/Sao_Paulo", (("USD", 0.7), ("BRL", 0.3)), 0.7),
            City("Mexico City, Mexico", "America/Mexico_City", (("USD", 0.7), ("MXN", 0.3)), 2),
            City("Guadalajara, Mexico", "America/Mexico_City", (("USD", 0.7), ("MXN", 0.3)), 1),
            City("Bogotá, Colombia", "America/Bogota", USD, 1.5),
            City("Medellín, Colombia", "America/Bogota", USD, 1.2),
            City("Buenos Aires, Argentina", "America/Argentina/Buenos_Aires", USD, 2),
            City("Santiago, Chile", "America/Santiago", USD, 1),
            City("Lima, Peru", "America/Lima", USD, 0.8),
            City("Montevideo, Uruguay", "America/Montevideo", USD, 0.7),
            City("San José, Costa Rica", "America/Costa_Rica", USD, 0.5),
        ),
        first_names=(
            "João", "Maria", "Pedro", "Ana", "Lucas", "Juliana", "Gabriel", "Camila", "Mateo",
            "Valentina", "Santiago", "Sofía", "Diego", "Isabella", "Sebastián", "Daniela",
            "Rafael", "Fernanda", "Andrés", "Paula", "Felipe", "Catalina", "Thiago", "Larissa",
            "Nicolás", "Luciana", "Javier", "Martina",
        ),
        last_names=(
            "Silva", "Souza", "Oliveira", "Pereira", "Lima", "Carvalho", "Ferreira", "Rocha",
            "González", "Rodríguez", "Hernández", "Ramírez", "Torres", "Flores", "Gómez",
            "Díaz", "Morales", "Vargas", "Castro", "Romero", "Sánchez", "Rojas", "Mendoza",
            "Álvarez", "Ribeiro", "Almeida",
        ),
    ),
    Region(
        key="india",
        label="India",
        weight=10,
        rate_factor=0.4,
        cities=(
            City("Bengaluru, India", "Asia/Kolkata", (("USD", 0.55), ("INR", 0.45)), 3),
            City("Pune, India", "Asia/Kolkata", (("USD", 0.5), ("INR", 0.5)), 1.5),
            City("Hyderabad, India", "Asia/Kolkata", (("USD", 0.5), ("INR", 0.5)), 1.5),
            City("Mumbai, India", "Asia/Kolkata", (("USD", 0.5), ("INR", 0.5)), 1.5),
            City("New Delhi, India", "Asia/Kolkata", (("USD", 0.5), ("INR", 0.5)), 1.5),
            City("Chennai, India", "Asia/Kolkata", (("USD", 0.5), ("INR", 0.5)), 1),
            City("Kochi, India", "Asia/Kolkata", (("USD", 0.5), ("INR", 0.5)), 0.5),
        ),
        first_names=(
            "Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Diya", "Arjun", "Kavya", "Rahul",
            "Sneha", "Aditya", "Pooja", "Karan", "Neha", "Siddharth", "Meera", "Nikhil",
            "Ishita", "Varun", "Aditi", "Rajesh", "Lakshmi", "Harish", "Divya",
        ),
        last_names=(
            "Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Singh", "Kumar", "Mehta",
            "Rao", "Joshi", "Desai", "Menon", "Chatterjee", "Banerjee", "Pillai", "Agarwal",
            "Kulkarni", "Bhat", "Verma",
        ),
    ),
    Region(
        key="se_asia",
        label="South-East Asia",
        weight=8,
        rate_factor=0.45,
        cities=(
            City("Singapore", "Asia/Singapore", (("SGD", 0.6), ("USD", 0.4)), 2),
            City("Manila, Philippines", "Asia/Manila", USD, 2),
            City("Cebu, Philippines", "Asia/Manila", USD, 0.6),
            City("Jakarta, Indonesia", "Asia/Jakarta", USD, 1.5),
            City("Bali, Indonesia", "Asia/Makassar", USD, 0.6),
            City("Bangkok, Thailand", "Asia/Bangkok", USD, 1.2),
            City("Chiang Mai, Thailand", "Asia/Bangkok", USD, 0.6),
            City("Ho Chi Minh City, Vietnam", "Asia/Ho_Chi_Minh", USD, 1.5),
            City("Hanoi, Vietnam", "Asia/Bangkok", USD, 0.8),
            City("Kuala Lumpur, Malaysia", "Asia/Kuala_Lumpur", USD, 1.2),
        ),
        first_names=(
            "Wei Ling", "Jun Hao", "Mei", "Rizal", "Putri", "Budi", "Siti", "Arif", "Nurul",
            "Minh", "Linh", "Thanh", "Duc", "Maria", "Jose", "Angelica", "Paolo", "Niran",
            "Somchai", "Ploy", "Hafiz", "Farah", "Jia Hui", "Kai",
        ),
        last_names=(
            "Tan", "Lim", "Lee", "Ng", "Wong", "Santoso", "Wijaya", "Pratama", "Nguyen", "Tran",
            "Le", "Pham", "Reyes", "Cruz", "Bautista", "Santos", "Srisuk", "Chaiyaporn",
            "Abdullah", "Rahman", "Ismail", "Goh",
        ),
    ),
    Region(
        key="oceania",
        label="Oceania",
        weight=5,
        rate_factor=0.9,
        cities=(
            City("Sydney, Australia", "Australia/Sydney", (("AUD", 0.85), ("USD", 0.15)), 3),
            City(
                "Melbourne, Australia", "Australia/Melbourne", (("AUD", 0.85), ("USD", 0.15)), 2.5
            ),
            City("Brisbane, Australia", "Australia/Brisbane", (("AUD", 0.9), ("USD", 0.1)), 1.2),
            City("Perth, Australia", "Australia/Perth", (("AUD", 0.9), ("USD", 0.1)), 0.8),
            City("Adelaide, Australia", "Australia/Adelaide", (("AUD", 0.9), ("USD", 0.1)), 0.5),
            City("Auckland, New Zealand", "Pacific/Auckland", (("NZD", 0.85), ("USD", 0.15)), 1.2),
            City(
                "Wellington, New Zealand", "Pacific/Auckland", (("NZD", 0.85), ("USD", 0.15)), 0.6
            ),
        ),
        first_names=(
            "Jack", "Charlotte", "William", "Mia", "Thomas", "Isla", "Lachlan", "Ruby",
            "Cooper", "Matilda", "Riley", "Georgia", "Hamish", "Aroha", "Tama", "Mei", "Sienna",
            "Angus", "Harriet", "Zara",
        ),
        last_names=(
            "Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Nguyen", "Thompson",
            "Walker", "Ryan", "Kelly", "Ngata", "Parata", "Chen", "Wang", "Mackenzie",
            "Robertson", "Campbell",
        ),
    ),
    Region(
        key="africa",
        label="Africa",
        weight=6,
        rate_factor=0.45,
        cities=(
            City("Lagos, Nigeria", "Africa/Lagos", USD, 2.5),
            City("Nairobi, Kenya", "Africa/Nairobi", USD, 2),
            City(
                "Cape Town, South Africa", "Africa/Johannesburg", (("ZAR", 0.5), ("USD", 0.5)), 1.5
            ),
            City(
                "Johannesburg, South Africa", "Africa/Johannesburg", (("ZAR", 0.5), ("USD", 0.5)), 1
            ),
            City("Cairo, Egypt", "Africa/Cairo", USD, 1.5),
            City("Accra, Ghana", "Africa/Accra", USD, 1),
            City("Kigali, Rwanda", "Africa/Kigali", USD, 0.6),
            City("Casablanca, Morocco", "Africa/Casablanca", (("EUR", 0.4), ("USD", 0.6)), 0.8),
            City("Kampala, Uganda", "Africa/Kampala", USD, 0.5),
        ),
        first_names=(
            "Chinedu", "Amara", "Tunde", "Ngozi", "Kwame", "Ama", "Wanjiru", "Otieno", "Thabo",
            "Naledi", "Sipho", "Zanele", "Omar", "Yasmin", "Youssef", "Salma", "Emeka",
            "Folake", "Jean-Paul", "Aline", "Kofi", "Esi", "Mohamed", "Nadia",
        ),
        last_names=(
            "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Mensah", "Boateng", "Kamau", "Odhiambo",
            "Mwangi", "Dlamini", "Nkosi", "Mokoena", "Hassan", "El Amrani", "Benali", "Mahmoud",
            "Uwimana", "Habimana", "Asante", "Nwosu",
        ),
    ),
)

# fmt: on
REGION_BY_KEY = {r.key: r for r in REGIONS}

# Fictional companies for seeded clients' addresses (reserved example domains only).
COMPANIES: tuple[str, ...] = (
    "acme",
    "northwind",
    "globex",
    "initech",
    "umbrella-labs",
    "hooli",
    "vandelay",
    "stark-industries",
    "wayne-digital",
    "tyrell",
    "cyberdyne",
    "soylent",
    "oceanic",
    "blue-sun",
    "gringotts",
    "monarch",
    "wonka",
    "nakatomi",
    "duff",
    "pied-piper",
)
