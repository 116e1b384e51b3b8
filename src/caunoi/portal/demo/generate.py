"""A deterministic generator of plausible registry records to fill lists and dashboards.

Everything is drawn from ``random.Random(seed)``; dates that must stay meaningful (expiring
agreements, running projects, upcoming delegations) are placed relative to ``today`` so the
dashboards show something whatever the day of the demo. The same seed and the same day give
the same records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from caunoi.portal.demo import dataset as D
from vntext import gazetteer

F = D.facts()  # the validated data files (needs the Django app registry)
DEFAULT_SEED = 20261122
EXPIRY_WINDOW_DAYS = 180

# (field codes, Vietnamese topic, English topic)
TOPICS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("P01", "1.2"), "trí tuệ nhân tạo", "artificial intelligence"),
    (("P01", "6.2"), "xử lý ngôn ngữ tự nhiên tiếng Việt", "Vietnamese language processing"),
    (("P02", "2.2"), "thiết kế vi mạch bán dẫn", "semiconductor chip design"),
    (("P02", "2.5"), "đóng gói và kiểm thử chip bán dẫn", "semiconductor packaging and testing"),
    (("P03", "5.2"), "chuyển đổi số trong doanh nghiệp", "digital transformation of enterprises"),
    (("P04", "1.2"), "dữ liệu lớn và điện toán đám mây", "big data and cloud computing"),
    (("P05", "2.2"), "Internet vạn vật trong đô thị thông minh", "IoT for smart cities"),
    (("P06", "1.2"), "công nghệ chuỗi khối truy xuất nguồn gốc", "blockchain traceability"),
    (("P07", "1.2"), "an toàn, an ninh mạng", "cybersecurity"),
    (("P08", "2.2"), "mạng di động 5G/6G", "5G/6G mobile networks"),
    (("P09", "2.2"), "điện mặt trời và điện gió ngoài khơi", "solar and offshore wind power"),
    (("P09", "2.7"), "năng lượng sinh khối", "biomass energy"),
    (("P10", "2.4"), "sản xuất và lưu trữ hydro xanh", "green hydrogen production and storage"),
    (("P11", "2.5"), "pin và lưu trữ năng lượng", "batteries and energy storage"),
    (("P12", "2.9"), "công nghệ sinh học công nghiệp", "industrial biotechnology"),
    (("P12", "1.6"), "công nghệ gen và tế bào", "gene and cell technology"),
    (("P13", "3.4"), "phát triển vắc-xin thế hệ mới", "next-generation vaccines"),
    (("P13", "3.3"), "y tế thông minh và khám chữa bệnh từ xa", "smart health and telemedicine"),
    (("P14", "2.6"), "thiết bị y tế chẩn đoán hình ảnh", "medical imaging devices"),
    (("P15", "1.5"), "thích ứng với biến đổi khí hậu", "climate change adaptation"),
    (("P15", "2.7"), "xử lý chất thải rắn và nước thải", "solid waste and wastewater treatment"),
    (("P16", "4.1"), "nông nghiệp công nghệ cao", "high-tech agriculture"),
    (("P16", "4.4"), "chọn tạo giống cây trồng", "crop breeding"),
    (("P16", "4.2"), "chăn nuôi an toàn sinh học", "biosecure livestock farming"),
    (("4.3", "P12"), "chẩn đoán và phòng bệnh thú y", "veterinary diagnostics and prevention"),
    (("4.1", "P23"), "nuôi trồng thủy sản bền vững", "sustainable aquaculture"),
    (
        ("P17", "1.3"),
        "ứng dụng bức xạ và đồng vị phóng xạ",
        "radiation and radioisotope applications",
    ),
    (("P17", "3.2"), "y học hạt nhân", "nuclear medicine"),
    (("P18", "1.5"), "viễn thám và quan sát Trái Đất", "remote sensing and Earth observation"),
    (("P18", "2.11"), "công nghệ vệ tinh nhỏ", "small satellite technology"),
    (("P19", "2.5"), "vật liệu tiên tiến", "advanced materials"),
    (("P19", "2.10"), "vật liệu nano", "nanomaterials"),
    (("P20", "2.3"), "robot công nghiệp và tự động hóa", "industrial robots and automation"),
    (("P21", "1.3"), "công nghệ lượng tử", "quantum technology"),
    (("P22", "2.3"), "sản xuất tiên tiến và in 3D", "advanced manufacturing and 3D printing"),
    (("P23", "1.5"), "khoa học và công nghệ biển", "marine science and technology"),
    (("P24", "1.2"), "bản sao số và thực tế ảo", "digital twins and virtual reality"),
    (
        ("P25", "5.5"),
        "sở hữu trí tuệ và định giá tài sản trí tuệ",
        "intellectual property and IP valuation",
    ),
    (("P26", "2.11"), "tiêu chuẩn, đo lường, chất lượng", "standards, metrology and quality"),
    (("P27", "5.2"), "đổi mới sáng tạo và khởi nghiệp", "innovation and start-ups"),
    (("5.2", "P27"), "chính sách khoa học, công nghệ và đổi mới sáng tạo", "STI policy"),
    (("3.1", "P12"), "dược liệu và hóa dược", "medicinal plants and pharmaceutical chemistry"),
    (("6.1", "1.7"), "bảo tồn di sản văn hóa", "cultural heritage conservation"),
    (("2.1", "P15"), "công trình chống ngập và sạt lở", "flood and landslide protection works"),
)

# Partner countries with weights (how often they appear) and Vietnamese short names.
COUNTRIES: tuple[tuple[str, int, str, str], ...] = (
    ("KR", 12, "Hàn Quốc", "Korea"),
    ("JP", 12, "Nhật Bản", "Japan"),
    ("US", 10, "Hoa Kỳ", "the United States"),
    ("RU", 8, "Liên bang Nga", "Russia"),
    ("DE", 7, "Đức", "Germany"),
    ("FR", 7, "Pháp", "France"),
    ("CN", 6, "Trung Quốc", "China"),
    ("IN", 5, "Ấn Độ", "India"),
    ("AU", 5, "Ô-xtrây-li-a", "Australia"),
    ("SG", 5, "Xin-ga-po", "Singapore"),
    ("GB", 4, "Vương quốc Anh", "the United Kingdom"),
    ("IL", 3, "I-xra-en", "Israel"),
    ("HU", 3, "Hungary", "Hungary"),
    ("CZ", 3, "Séc", "Czechia"),
    ("BY", 3, "Bê-la-rút", "Belarus"),
    ("IT", 3, "I-ta-li-a", "Italy"),
    ("FI", 3, "Phần Lan", "Finland"),
    ("BE", 3, "Bỉ", "Belgium"),
    ("NL", 3, "Hà Lan", "the Netherlands"),
    ("SE", 2, "Thụy Điển", "Sweden"),
    ("TH", 3, "Thái Lan", "Thailand"),
    ("LA", 3, "Lào", "Laos"),
    ("KH", 2, "Cam-pu-chia", "Cambodia"),
    ("CU", 2, "Cu-ba", "Cuba"),
    ("AR", 2, "Ác-hen-ti-na", "Argentina"),
    ("IR", 1, "I-ran", "Iran"),
    ("AE", 2, "Các Tiểu vương quốc Ả-rập Thống nhất", "the UAE"),
    ("TW", 2, "Đài Loan (Trung Quốc)", "Taiwan (China)"),
    ("CA", 2, "Ca-na-đa", "Canada"),
    ("NZ", 2, "Niu Di-lân", "New Zealand"),
    ("CH", 2, "Thụy Sĩ", "Switzerland"),
    ("AT", 2, "Áo", "Austria"),
    ("PL", 2, "Ba Lan", "Poland"),
    ("MY", 2, "Ma-lai-xi-a", "Malaysia"),
    ("ID", 2, "In-đô-nê-xi-a", "Indonesia"),
    ("PH", 2, "Phi-líp-pin", "the Philippines"),
    ("KZ", 1, "Ca-dắc-xtan", "Kazakhstan"),
    ("BR", 1, "Bra-xin", "Brazil"),
    ("ZA", 1, "Nam Phi", "South Africa"),
)
COUNTRY_VI = {c: vi for c, _, vi, _ in COUNTRIES}
COUNTRY_EN = {c: en for c, _, _, en in COUNTRIES}

# Gazetteer organisations by country that the generator may name as partners.
GAZETTEER_BY_COUNTRY: dict[str, tuple[str, ...]] = {
    "KR": ("kisti", "kiat", "kist", "nrf-korea", "msit", "koica"),
    "JP": ("jst", "jsps", "amed", "jica", "sumitomo"),
    "US": ("nsf", "us-doe", "nasa", "usaid"),
    "AU": ("csiro", "aciar", "dfat"),
    "FR": ("ird", "cnrs", "afd"),
    "DE": ("daad", "bmbf", "fraunhofer", "giz", "imag"),
    "CN": ("cas", "most-china", "shanghai-tech-exchange"),
    "SG": ("a-star", "ipi-singapore"),
    "GB": ("british-council", "newton-fund"),
    "FI": ("business-finland",),
    "BE": ("vlir-uos", "enabel"),
    "RU": ("russian-academy-of-sciences",),
    "BY": ("nas-belarus",),
    "SE": ("uppsala-university",),
}
DEVELOPMENT_AGENCIES: dict[str, str] = {
    "KR": "koica",
    "JP": "jica",
    "DE": "giz",
    "US": "usaid",
    "FR": "afd",
    "BE": "enabel",
    "AU": "dfat",
    "FI": "formin-finland",
    "GB": "newton-fund",
}
MULTILATERAL_FUNDERS = ("iaea", "undp", "unido", "unesco", "horizon-europe", "adb", "gef", "fao")
LOAN_FUNDERS = ("world-bank", "adb", "jica")

# Vietnamese organisations that lead projects and sign agency-level agreements.
VN_LEADS: tuple[str, ...] = (
    *(o.key for o in F.vn_orgs),
    "vast",
    "vnu-hanoi",
    "vnu-hcm",
    "hust",
    "vinatom",
    "v-kist",
    "vass",
)
# Units and the organisation that signs for them.
UNIT_ORG: dict[str, str] = {
    "htqt": "most",
    "cuc-ung-dung-phat-trien-cong-nghe": "sati",
    "cuc-so-huu-tri-tue": "ip-vietnam",
    "uy-ban-tdc": "stameq",
    "cuc-atbxhn": "varans",
    "cuc-thong-tin-thong-ke": "nasati",
    "cuc-nang-luong-nguyen-tu": "vinatom",
    "cuc-doi-moi-sang-tao": "most",
    "trung-tam-vu-tru": "trung-tam-vu-tru-vn",
    "bo-cong-thuong": "moit",
    "bo-y-te": "moh",
    "bo-giao-duc": "moet",
    "bo-tai-chinh": "mof",
    "bo-ngoai-giao": "mofa-vn",
    "vien-han-lam-khcn": "vast",
    "vien-han-lam-khxh": "vass",
    "dhqg-ha-noi": "vnu-hanoi",
    "dhqg-tp-hcm": "vnu-hcm",
}
_AGENCY_OWNERS = (
    "cuc-ung-dung-phat-trien-cong-nghe",
    "cuc-so-huu-tri-tue",
    "uy-ban-tdc",
    "cuc-atbxhn",
    "cuc-thong-tin-thong-ke",
    "cuc-nang-luong-nguyen-tu",
    "cuc-doi-moi-sang-tao",
    "trung-tam-vu-tru",
)
_MINISTRY_OWNERS = (
    "bo-cong-thuong",
    "bo-y-te",
    "bo-giao-duc",
    "bo-tai-chinh",
    "bo-ngoai-giao",
    "vien-han-lam-khcn",
    "vien-han-lam-khxh",
    "dhqg-ha-noi",
    "dhqg-tp-hcm",
)
# Provinces that own records most often (the ones with active DOSTs in the documents first).
_PROVINCE_OWNERS = tuple(u.code for u in F.provinces)
_PROVINCE_WEIGHTS = tuple(
    6
    if c
    in {
        "ha-noi",
        "ho-chi-minh",
        "da-nang",
        "hai-phong",
        "can-tho",
        "bac-ninh",
        "gia-lai",
        "quang-ninh",
        "khanh-hoa",
        "lam-dong",
    }
    else 1
    for c in _PROVINCE_OWNERS
)
_PROVINCE_NAME = {u.code: u.name_vi for u in F.provinces}
_PROVINCE_EN = {u.code: u.name_en for u in F.provinces}

# Topic-neutral, so that a fictional partner fits whatever a generated record is about.
_COMPANY_STEMS = (
    ("Công ty Công nghệ", "Technology Co., Ltd."),
    ("Tập đoàn Công nghiệp", "Industries Group"),
    ("Công ty Giải pháp Kỹ thuật", "Engineering Solutions Ltd."),
    ("Công ty Đổi mới sáng tạo", "Innovation Co., Ltd."),
)
# Cities per partner country (Vietnamese, English): fictional partners and events abroad.
CITIES: dict[str, tuple[tuple[str, str], ...]] = {
    "KR": (("Bu-san", "Busan"), ("Tê-gu", "Daegu"), ("Quang Châu", "Gwangju")),
    "JP": (("Ô-xa-ca", "Osaka"), ("Ky-ô-tô", "Kyoto"), ("Na-gô-y-a", "Nagoya")),
    "US": (("Bô-xtơn", "Boston"), ("Hiu-xtơn", "Houston"), ("Xan Hô-xê", "San Jose")),
    "RU": (
        ("Nô-vô-xi-biếc", "Novosibirsk"),
        ("Xanh Pê-téc-bua", "Saint Petersburg"),
        ("Tôm-xcơ", "Tomsk"),
    ),
    "DE": (("Đrét-xđen", "Dresden"), ("A-khen", "Aachen"), ("Stút-ga", "Stuttgart")),
    "FR": (("Grơ-nô-bơ", "Grenoble"), ("Tu-lu-dơ", "Toulouse"), ("Li-ông", "Lyon")),
    "CN": (("Nam Ninh", "Nanning"), ("Côn Minh", "Kunming"), ("Hàng Châu", "Hangzhou")),
    "IN": (("Ben-ga-lu-ru", "Bengaluru"), ("Chen-nai", "Chennai"), ("Hai-đê-ra-bát", "Hyderabad")),
    "AU": (("Bờ-ris-bên", "Brisbane"), ("Men-bơn", "Melbourne"), ("A-đê-lai", "Adelaide")),
    "SG": (("Xin-ga-po", "Singapore"),),
    "GB": (("Man-chét-xtơ", "Manchester"), ("Ê-đin-bơ-rơ", "Edinburgh"), ("Bri-xtôn", "Bristol")),
    "IL": (("Te-la-víp", "Tel Aviv"), ("Hai-pha", "Haifa")),
    "HU": (("Xe-ghét", "Szeged"), ("Đê-brê-xen", "Debrecen")),
    "CZ": (("Bơ-rơ-nô", "Brno"), ("Ô-xtơ-ra-va", "Ostrava")),
    "BY": (("Min-xcơ", "Minsk"), ("Gô-men", "Gomel")),
    "IT": (("Bô-lô-nha", "Bologna"), ("Mi-lan", "Milan"), ("Tu-rin", "Turin")),
    "FI": (("Hen-xin-ki", "Helsinki"), ("Ô-u-lu", "Oulu")),
    "BE": (("Ghen", "Ghent"), ("Lu-ven", "Leuven")),
    "NL": (("Đen-phơ", "Delft"), ("Oa-ghê-nin-ghen", "Wageningen"), ("Ên-hô-ven", "Eindhoven")),
    "SE": (("Gô-tê-bo", "Gothenburg"), ("Lun", "Lund")),
    "TH": (("Băng Cốc", "Bangkok"), ("Chiềng Mai", "Chiang Mai")),
    "LA": (("Viêng Chăn", "Vientiane"), ("Luông Pha-băng", "Luang Prabang")),
    "KH": (("Phnôm Pênh", "Phnom Penh"), ("Xiêm Riệp", "Siem Reap")),
    "CU": (("La Ha-ba-na", "Havana"),),
    "AR": (("Bu-ê-nốt Ai-rét", "Buenos Aires"), ("Cóc-đô-ba", "Córdoba")),
    "IR": (("Tê-hê-ran", "Tehran"), ("I-xpha-han", "Isfahan")),
    "AE": (("A-bu Đa-bi", "Abu Dhabi"), ("Đu-bai", "Dubai")),
    "TW": (("Đài Bắc", "Taipei"), ("Tân Trúc", "Hsinchu")),
    "CA": (("Tô-rôn-tô", "Toronto"), ("Van-cu-vơ", "Vancouver")),
    "NZ": (("Ốc-len", "Auckland"), ("Oen-linh-tơn", "Wellington")),
    "CH": (("Xuy-rích", "Zurich"), ("Lô-dan", "Lausanne")),
    "AT": (("Viên", "Vienna"), ("Grát", "Graz")),
    "PL": (("Vác-xa-va", "Warsaw"), ("Cra-cốp", "Krakow")),
    "MY": (("Cu-a-la Lăm-pơ", "Kuala Lumpur"), ("Pê-nang", "Penang")),
    "ID": (("Gia-các-ta", "Jakarta"), ("Băng-đung", "Bandung")),
    "PH": (("Ma-ni-la", "Manila"), ("Xê-bu", "Cebu")),
    "KZ": (("A-xta-na", "Astana"), ("An-ma-ty", "Almaty")),
    "BR": (("Xao Pao-lô", "Sao Paulo"), ("Cam-pi-nát", "Campinas")),
    "ZA": (("Kếp-tao", "Cape Town"), ("Giô-han-ne-xbớc", "Johannesburg")),
}

_AGREEMENT_ACTIONS = (
    ("hợp tác nghiên cứu và chuyển giao công nghệ về", "research and technology transfer in"),
    ("hợp tác về", "cooperation in"),
    ("trao đổi chuyên gia và đào tạo về", "expert exchange and training in"),
    ("xây dựng phòng thí nghiệm chung về", "a joint laboratory for"),
)
_PROJECT_ACTIONS = (
    ("Nghiên cứu ứng dụng", "Applied research on"),
    ("Hợp tác nghiên cứu phát triển", "Joint research and development in"),
    ("Nghiên cứu làm chủ công nghệ", "Mastering technology in"),
    ("Xây dựng mô hình thí điểm về", "Pilot model for"),
    ("Đánh giá và đề xuất giải pháp", "Assessment and solutions in"),
    ("Tăng cường năng lực", "Capacity building in"),
)
_PROJECT_CONTEXTS = (
    ("phục vụ doanh nghiệp nhỏ và vừa", "for small and medium enterprises"),
    ("tại vùng Đồng bằng sông Cửu Long", "in the Mekong Delta"),
    ("tại vùng trung du và miền núi phía Bắc", "in the northern midlands and mountains"),
    ("tại vùng Tây Nguyên", "in the Central Highlands"),
    ("vùng duyên hải miền Trung", "on the central coast"),
    ("phục vụ phát triển kinh tế - xã hội", "for socio-economic development"),
    ("hướng tới sản phẩm thương mại", "towards commercial products"),
)


@dataclass
class Generated:
    organizations: list[D.OrgFact] = field(default_factory=list)
    agreements: list[D.AgreementFact] = field(default_factory=list)
    projects: list[D.ProjectFact] = field(default_factory=list)
    delegations: list[D.DelegationFact] = field(default_factory=list)
    events: list[D.EventFact] = field(default_factory=list)


def agreement_status(
    signed_on: date | None,
    effective_on: date | None,
    expires_on: date | None,
    today: date,
    *,
    window_days: int = EXPIRY_WINDOW_DAYS,
) -> str:
    """The lifecycle status the dates imply on ``today``."""
    if signed_on is None or signed_on > today:
        return "negotiating"
    if effective_on is not None and effective_on > today:
        return "signed"
    if expires_on is None:
        return "in_force"
    if expires_on < today:
        return "expired"
    if (expires_on - today).days <= window_days:
        return "expiring"
    return "in_force"


def project_status(start: date | None, end: date | None, today: date) -> str:
    if start is None or start > today:
        return "pipeline"
    if end is None or end >= today:
        return "implementation"
    if (today - end).days <= 180:
        return "finalisation"
    return "closed"


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


class _Gen:
    def __init__(self, seed: int, today: date) -> None:
        self.r = random.Random(seed)
        self.today = today
        self.out = Generated()
        self.countries = [c for c, _, _, _ in COUNTRIES]
        self.weights = [w for _, w, _, _ in COUNTRIES]
        self.org_names: dict[str, tuple[str, str]] = {}
        self.org_kind: dict[str, str] = {}
        for o in (*F.gazetteer_fallback, *F.vn_orgs, *F.foreign_orgs):
            self.org_kind[o.key] = o.kind
        for g in gazetteer.organizations():
            self.org_names[g.key] = (g.name_vi, g.name_en or g.name_vi)
            self.org_kind[g.key] = g.kind
        self.partners: dict[str, list[str]] = {c: [] for c in self.countries}
        for o in F.foreign_orgs:
            if o.country in self.partners:
                self.partners[o.country].append(o.key)
            self.org_names.setdefault(o.key, (o.name_vi, o.name_en))
        for o in F.vn_orgs + F.gazetteer_fallback:
            self.org_names.setdefault(o.key, (o.name_vi, o.name_en))
        for cc, keys in GAZETTEER_BY_COUNTRY.items():
            self.partners[cc].extend(k for k in keys if k not in self.partners[cc])
        self.agreements_by_country: dict[str, list[str]] = {}
        for a in F.agreements:
            for p in a.parties:
                if p.side == "foreign" and p.country:
                    self.agreements_by_country.setdefault(p.country, []).append(a.key)

    # -- helpers ---------------------------------------------------------------------------
    def country(self) -> str:
        return self.r.choices(self.countries, self.weights)[0]

    def date_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.r.randint(0, max(0, (end - start).days)))

    def topic(self) -> tuple[tuple[str, ...], str, str]:
        return self.r.choice(TOPICS)

    def fields_for(self, topic: tuple[tuple[str, ...], str, str]) -> tuple[str, ...]:
        codes = list(topic[0])
        if self.r.random() < 0.3:
            extra = self.r.choice(TOPICS)[0][0]
            if extra not in codes:
                codes.append(extra)
        return tuple(codes)

    def owner(self) -> str:
        x = self.r.random()
        if x < 0.62:
            return "htqt"
        if x < 0.77:
            return self.r.choice(_AGENCY_OWNERS)
        if x < 0.88:
            return self.r.choice(_MINISTRY_OWNERS)
        return self.r.choices(_PROVINCE_OWNERS, _PROVINCE_WEIGHTS)[0]

    def vn_org_for(self, owner: str) -> str:
        if owner in UNIT_ORG:
            return UNIT_ORG[owner]
        if owner in _PROVINCE_NAME:
            key = f"so-khcn-{owner}"
            if key not in self.org_names:
                province = _PROVINCE_NAME[owner]
                name_vi = f"Sở Khoa học và Công nghệ {province[0].lower()}{province[1:]}"
                name_en = f"{_PROVINCE_EN[owner]} Department of Science and Technology"
                self.out.organizations.append(
                    D.OrgFact(key, name_vi, name_en, "", "government_agency", "VN")
                )
                self.org_names[key] = (name_vi, name_en)
            return key
        return "most"

    def public(self) -> bool:
        return self.r.random() < 0.6

    def partner(self, cc: str) -> str:
        """A partner of the country: a real organisation three times out of four if any."""
        real = [k for k in self.partners.get(cc, ()) if not k.startswith("gen-")]
        if real and self.r.random() < 0.75:
            return self.r.choice(real)
        return self.r.choice(self._companies(cc))

    def _new_org(self, key: str, name_vi: str, name_en: str, kind: str, cc: str) -> None:
        self.out.organizations.append(D.OrgFact(key, name_vi, name_en, "", kind, cc))
        self.org_names[key] = (name_vi, name_en)
        self.org_kind[key] = kind
        self.partners[cc].append(key)

    def agency(self, cc: str) -> str | None:
        """A government agency of the country, if the demo knows one."""
        pool = [k for k in self.partners.get(cc, ()) if self.org_kind.get(k) == "government_agency"]
        return self.r.choice(pool) if pool else None

    def _companies(self, cc: str) -> list[str]:
        """Create (once) a few fictional companies and a university for a country."""
        made = [k for k in self.partners[cc] if k.startswith(f"gen-{cc.lower()}-")]
        if made:
            return made
        cities = list(CITIES[cc])
        self.r.shuffle(cities)
        # Organisations keep the original spelling of the city (transliterations are for places).
        for i, (stem_vi, stem_en) in enumerate(self.r.sample(_COMPANY_STEMS, 3), start=1):
            city_en = cities[(i - 1) % len(cities)][1]
            self._new_org(
                f"gen-{cc.lower()}-{i}",
                f"{stem_vi} {city_en}",
                f"{city_en} {stem_en}",
                "company",
                cc,
            )
            made.append(f"gen-{cc.lower()}-{i}")
        city_en = cities[-1][1]
        kind = self.r.choice(("university", "research_institute"))
        name_vi, name_en = (
            (f"Trường Đại học {city_en}", f"University of {city_en}")
            if kind == "university"
            else (f"Viện Công nghệ {city_en}", f"{city_en} Institute of Technology")
        )
        self._new_org(f"gen-{cc.lower()}-u", name_vi, name_en, kind, cc)
        made.append(f"gen-{cc.lower()}-u")
        return made

    # -- records ---------------------------------------------------------------------------
    def agreements(self, n: int) -> None:
        start, end = date(2005, 1, 1), self.today
        for i in range(n):
            cc = self.country()
            topic = self.topic()
            owner = self.owner()
            x = self.r.random()
            kind = (
                "mou"
                if x < 0.45
                else "ministry"
                if x < 0.60
                else "loi"
                if x < 0.70
                else "minutes"
                if x < 0.80
                else "contract"
                if x < 0.90
                else "protocol"
                if x < 0.98
                else "intergovernmental"
            )
            if owner in _PROVINCE_NAME and kind in {"ministry", "minutes", "intergovernmental"}:
                kind = "mou"
            if kind in {"minutes", "intergovernmental"}:
                owner = "htqt"
            vn_org = self.vn_org_for(owner)
            partner = self.partner(cc)
            if kind == "ministry":
                agency = self.agency(cc)
                if agency is None or vn_org not in {"most", "moit", "moh", "moet", "mof"}:
                    kind = "mou"
                else:
                    partner = agency
            action_vi, action_en = self.r.choice(_AGREEMENT_ACTIONS)
            vn_vi, vn_en = self.org_names.get(vn_org, (vn_org, vn_org))
            fx_vi, fx_en = self.org_names.get(partner, (partner, partner))
            parties: tuple[D.PartyFact, ...]
            if kind == "intergovernmental":
                title_vi = (
                    f"Hiệp định hợp tác về {topic[1]} giữa Chính phủ Việt Nam và Chính phủ "
                    f"{COUNTRY_VI[cc]}"
                )
                title_en = f"Agreement on {topic[2]} between Viet Nam and {COUNTRY_EN[cc]}"
                parties, level = (D.VN_GOV, D.foreign_party(country=cc)), "government"
            elif kind == "minutes":
                # The session number is set once every agreement exists (see _number_minutes).
                title_vi = (
                    "Biên bản Phiên họp lần thứ {n} Ủy ban hỗn hợp về hợp tác KH&CN "
                    f"Việt Nam - {COUNTRY_VI[cc]}"
                )
                title_en = (
                    "Minutes of session {n} of the Viet Nam - "
                    f"{COUNTRY_EN[cc].removeprefix('the ')} Joint Committee on S&T"
                )
                parties, level = (D.vn_party(org=vn_org), D.foreign_party(country=cc)), "government"
            else:
                noun_vi, noun_en = {
                    "mou": ("Biên bản ghi nhớ", "Memorandum of understanding on"),
                    "ministry": ("Thỏa thuận", "Arrangement on"),
                    "loi": ("Ý định thư", "Letter of intent on"),
                    "contract": ("Hợp đồng", "Contract for"),
                    "protocol": ("Nghị định thư", "Protocol on"),
                }[kind]
                title_vi = f"{noun_vi} {action_vi} {topic[1]} giữa {vn_vi} và {fx_vi}"
                title_en = f"{noun_en} {action_en} {topic[2]} between {vn_en} and {fx_en}"
                parties = (D.vn_party(org=vn_org), D.foreign_party(org=partner))
                level = (
                    "province"
                    if owner in _PROVINCE_NAME
                    else "ministry"
                    if vn_org in {"most", "moit", "moh", "moet", "mof", "mofa-vn"}
                    else "agency"
                )
            signed: date | None
            effective: date | None
            expires: date | None
            status = ""
            auto_renew = self.r.random() < 0.2
            years = self.r.choice((2, 3, 5, 5, 5, 10))
            roll = self.r.random()
            if roll < 0.07:  # still under negotiation
                signed = effective = expires = None
                status = "negotiating"
                auto_renew = False
            else:
                if roll < 0.15:  # make sure the dashboard has agreements expiring soon
                    expires = self.today + timedelta(days=self.r.randint(5, EXPIRY_WINDOW_DAYS - 5))
                    signed = _add_years(expires, -years) + timedelta(days=1)
                    auto_renew = False
                elif roll < 0.19:  # signed, not yet in force
                    signed = self.today - timedelta(days=self.r.randint(1, 60))
                    expires = _add_years(signed, years) - timedelta(days=1)
                else:
                    signed = self.date_between(start, end)
                    expires = (
                        None
                        if kind in {"loi", "minutes"} or self.r.random() < 0.12
                        else _add_years(signed, years) - timedelta(days=1)
                    )
                effective = signed + timedelta(days=self.r.choice((0, 0, 0, 15, 30, 90)))
                if 0.15 <= roll < 0.19:
                    effective = self.today + timedelta(days=self.r.randint(5, 90))
                if kind in {"loi", "minutes"}:
                    effective = signed
                if expires is not None and expires < self.today and auto_renew:
                    while expires < self.today:
                        expires = _add_years(expires, years)
                    status = "renewed"
                elif roll > 0.97:
                    status = "terminated"
            self.out.agreements.append(
                D.AgreementFact(
                    key=f"gen-agreement-{i}",
                    title_vi=title_vi[:500],
                    title_en=title_en[:500],
                    kind=kind,
                    level=level,
                    parties=parties,
                    signed_on=signed,
                    signed_place=self.r.choice(("Hà Nội", "Hà Nội", "Thành phố Hồ Chí Minh", ""))
                    if signed
                    else "",
                    effective_on=effective,
                    expires_on=expires,
                    auto_renew=auto_renew,
                    status=status,
                    fields=self.fields_for(topic),
                    summary=f"Hợp tác về {topic[1]} với đối tác {COUNTRY_VI[cc]}: nghiên cứu "
                    "chung, trao đổi chuyên gia, đào tạo và kết nối doanh nghiệp.",
                    obligations=self.r.choice(
                        (
                            "Báo cáo kết quả thực hiện hằng năm cho Vụ Hợp tác quốc tế.",
                            "Mỗi bên tự bảo đảm kinh phí cho hoạt động của mình.",
                            "Thành lập nhóm công tác chung, họp ít nhất mỗi năm một lần.",
                            "",
                        )
                    ),
                    legal_basis=self.r.choice(
                        (
                            F.legal_bases["qd735"],
                            F.legal_bases["qd1851"],
                            F.legal_bases["nq20"],
                            F.legal_bases["nq52"],
                            "",
                            "",
                        )
                    ),
                    owner=owner,
                    public=self.public() or kind == "intergovernmental",
                )
            )
            self.agreements_by_country.setdefault(cc, []).append(f"gen-agreement-{i}")

    def _number_minutes(self) -> None:
        """Number the joint-committee sessions of each country in date order."""
        by_title: dict[str, list[int]] = {}
        for i, a in enumerate(self.out.agreements):
            if a.kind == "minutes":
                by_title.setdefault(a.title_vi, []).append(i)
        for indexes in by_title.values():
            indexes.sort(key=lambda i: self.out.agreements[i].signed_on or date.max)
            first = self.r.randint(2, 6)
            for n, i in enumerate(indexes, start=first):
                a = self.out.agreements[i]
                self.out.agreements[i] = replace(
                    a, title_vi=a.title_vi.format(n=n), title_en=a.title_en.format(n=n)
                )

    def projects(self, n: int) -> None:
        for i in range(n):
            cc = self.country()
            topic = self.topic()
            owner = self.owner()
            x = self.r.random()
            kind = (
                "protocol"
                if x < 0.45
                else "bilateral"
                if x < 0.65
                else "multilateral"
                if x < 0.80
                else "oda"
                if x < 0.92
                else "loan"
            )
            action_vi, action_en = self.r.choice(_PROJECT_ACTIONS)
            ctx_vi, ctx_en = self.r.choice(_PROJECT_CONTEXTS)
            title_vi = f"{action_vi} {topic[1]} {ctx_vi}"
            title_en = f"{action_en} {topic[2]} {ctx_en}"
            partner = self.partner(cc)
            participants: list[tuple[str, str]] = [(partner, "implementing")]
            currency, budget = "VND", Decimal(0)
            funder = ""
            if kind in {"multilateral", "oda", "loan"}:
                noun_vi, noun_en = {
                    "multilateral": ("Dự án hợp tác khu vực về", "Regional project on"),
                    "oda": ("Dự án hỗ trợ kỹ thuật về", "Technical assistance project on"),
                    "loan": ("Dự án đầu tư phát triển", "Investment project for"),
                }[kind]
                title_vi = f"{noun_vi} {topic[1]} {ctx_vi}"
                title_en = f"{noun_en} {topic[2]} {ctx_en}"
            if kind == "protocol":
                title_vi = f"Nhiệm vụ nghị định thư Việt Nam - {COUNTRY_VI[cc]}: {title_vi}"
                funder = "most"
                budget = Decimal(self.r.randrange(1_500, 9_000) * 1_000_000)
            elif kind == "bilateral":
                funder = self.r.choice(("most", "nafosted", partner))
                budget = Decimal(self.r.randrange(500, 15_000) * 1_000_000)
            elif kind == "multilateral":
                funder = self.r.choice(MULTILATERAL_FUNDERS)
                currency = "EUR" if funder == "horizon-europe" else "USD"
                budget = Decimal(self.r.randrange(50, 3_000) * 1_000)
            elif kind == "oda":
                cc = self.r.choice(tuple(DEVELOPMENT_AGENCIES))
                funder = DEVELOPMENT_AGENCIES[cc]
                partner = self.partner(cc)
                participants = [(partner, "implementing")]
                currency = self.r.choice(("USD", "EUR")) if cc not in {"JP", "KR"} else "USD"
                budget = Decimal(self.r.randrange(300, 25_000) * 1_000)
            else:
                funder = self.r.choice(LOAN_FUNDERS)
                currency = "JPY" if funder == "jica" else "USD"
                budget = Decimal(self.r.randrange(10, 150) * 1_000_000)
                if currency == "JPY":
                    budget *= 100
            if funder and funder != partner:
                participants.append((funder, "funding"))
            years = self.r.choice((2, 2, 3, 3, 4, 5))
            planned_start = self.date_between(date(2005, 1, 1), self.today + timedelta(days=400))
            planned_end = _add_years(planned_start, years) - timedelta(days=1)
            actual_start = actual_end = None
            if planned_start <= self.today:
                actual_start = planned_start + timedelta(days=self.r.randint(0, 120))
                if actual_start > self.today:
                    actual_start = self.today
                actual_end_candidate = planned_end + timedelta(days=self.r.choice((0, 0, 90, 180)))
                if actual_end_candidate < self.today:
                    actual_end = actual_end_candidate
            status = project_status(actual_start, actual_end, self.today)
            if status == "closed" and self.r.random() < 0.04:
                status = "cancelled"
            agreements = self.agreements_by_country.get(cc, [])
            self.out.projects.append(
                D.ProjectFact(
                    key=f"gen-project-{i}",
                    title_vi=title_vi[:500],
                    title_en=title_en[:500],
                    kind=kind,
                    status=status,
                    code=f"{kind.upper()[:3]}-{planned_start.year}-{i:03d}",
                    lead=self.r.choice(VN_LEADS),
                    funder=funder,
                    agreement=self.r.choice(agreements)
                    if agreements and self.r.random() < 0.35
                    else "",
                    budget=budget if self.r.random() < 0.9 else None,
                    currency=currency,
                    planned_start=planned_start,
                    planned_end=planned_end,
                    actual_start=actual_start,
                    actual_end=actual_end,
                    participants=tuple(dict.fromkeys(participants)),
                    fields=self.fields_for(topic),
                    description=f"Hợp tác với đối tác {COUNTRY_VI[cc]} về {topic[1]}.",
                    outputs="Công bố quốc tế, quy trình công nghệ và nhân lực được đào tạo."
                    if status == "closed"
                    else "",
                    owner=owner,
                    public=self.public(),
                )
            )

    def delegations(self, n: int) -> None:
        for _ in range(n):
            cc = self.country()
            topic = self.topic()
            owner = self.owner()
            direction = "out" if self.r.random() < 0.55 else "in"
            start = self.date_between(date(2005, 1, 1), self.today + timedelta(days=200))
            end = start + timedelta(days=self.r.randint(1, 9))
            org = self.partner(cc)
            org_vi = self.org_names.get(org, (org, org))[0]
            unit_vi = (
                f"Sở KH&CN {_PROVINCE_NAME[owner].removeprefix('Tỉnh ')}"
                if owner in _PROVINCE_NAME
                else self.org_names.get(self.vn_org_for(owner), ("Bộ Khoa học và Công nghệ",))[0]
            )
            if direction == "out":
                title_vi = f"Đoàn {unit_vi} làm việc tại {COUNTRY_VI[cc]} về {topic[1]}"
                title_en = f"Delegation to {COUNTRY_EN[cc]} on {topic[2]}"
                host = org_vi
            else:
                title_vi = f"Đoàn {org_vi} thăm và làm việc tại Việt Nam về {topic[1]}"
                title_en = f"Delegation from {COUNTRY_EN[cc]} on {topic[2]}"
                host = unit_vi
            agreements = self.agreements_by_country.get(cc, [])
            countries = [cc]
            if direction == "out" and self.r.random() < 0.15:
                other = self.country()
                if other != cc:
                    countries.append(other)
            self.out.delegations.append(
                D.DelegationFact(
                    title_vi=title_vi[:500],
                    title_en=title_en[:500],
                    direction=direction,
                    start_on=start,
                    end_on=end,
                    countries=tuple(countries),
                    members_count=self.r.randint(2, 15),
                    purpose=f"Trao đổi hợp tác về {topic[1]}, tìm kiếm công nghệ và đối tác.",
                    host=host,
                    agreement=self.r.choice(agreements)
                    if agreements and self.r.random() < 0.3
                    else "",
                    trip_report="Đã nộp báo cáo kết quả chuyến công tác."
                    if end < self.today and self.r.random() < 0.7
                    else "",
                    fields=self.fields_for(topic),
                    owner=owner,
                    public=self.public(),
                )
            )

    def events(self, n: int) -> None:
        vn_cities = (
            "Hà Nội",
            "Thành phố Hồ Chí Minh",
            "Đà Nẵng",
            "Hải Phòng",
            "Cần Thơ",
            "Huế",
            "Nha Trang",
            "Quy Nhơn",
            "Đà Lạt",
            "Hạ Long",
        )
        for _ in range(n):
            topic = self.topic()
            owner = self.owner()
            kind = self.r.choice(
                (
                    "conference",
                    "conference",
                    "workshop",
                    "workshop",
                    "forum",
                    "techmart",
                    "exhibition",
                )
            )
            start = self.date_between(date(2008, 1, 1), self.today + timedelta(days=300))
            end = start + timedelta(days=self.r.randint(0, 3))
            abroad = self.r.random() < 0.25
            cc = self.country() if abroad else "VN"
            if abroad:
                city = self.r.choice(CITIES[cc])[0]
            elif owner in _PROVINCE_NAME:
                city = _PROVINCE_NAME[owner].removeprefix("Thành phố ").removeprefix("Tỉnh ")
            else:
                city = self.r.choice(vn_cities)
            partner_cc = cc if abroad else self.country()
            title_vi, title_en = {
                "conference": (
                    f"Hội nghị quốc tế về {topic[1]} {start.year}",
                    f"International conference on {topic[2]} {start.year}",
                ),
                "workshop": (
                    f"Hội thảo Việt Nam - {COUNTRY_VI[partner_cc]} về {topic[1]}",
                    f"Viet Nam - {COUNTRY_EN[partner_cc]} workshop on {topic[2]}",
                ),
                "forum": (
                    f"Diễn đàn hợp tác {topic[1]} Việt Nam - {COUNTRY_VI[partner_cc]}",
                    f"Viet Nam - {COUNTRY_EN[partner_cc]} forum on {topic[2]}",
                ),
                "techmart": (
                    f"Techmart {topic[1]} {city} {start.year}",
                    f"Techmart on {topic[2]}, {start.year}",
                ),
                "exhibition": (
                    f"Triển lãm công nghệ {topic[1]} {start.year}",
                    f"Technology exhibition on {topic[2]} {start.year}",
                ),
            }[kind]
            self.out.events.append(
                D.EventFact(
                    title_vi=title_vi[:500],
                    title_en=title_en[:500],
                    kind=kind,
                    start_on=start,
                    end_on=end,
                    city=city,
                    country=cc,
                    organizer=self.org_names.get(self.vn_org_for(owner), ("",))[0]
                    if not abroad
                    else self.org_names.get(self.partner(cc), ("",))[0],
                    description=f"Sự kiện kết nối các nhà khoa học, doanh nghiệp và đối tác quốc "
                    f"tế về {topic[1]}.",
                    fields=self.fields_for(topic),
                    owner=owner,
                    public=self.public() or kind in {"techmart", "exhibition"},
                )
            )


def generate(
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    *,
    agreements: int = 250,
    projects: int = 300,
    delegations: int = 150,
    events: int = 60,
) -> Generated:
    """Plausible records on top of the facts; deterministic for a given seed and day."""
    g = _Gen(seed, today or date.today())
    for cc in g.countries:  # a few companies and a university for every partner country
        g._companies(cc)
    g.agreements(agreements)
    g._number_minutes()
    g.projects(projects)
    g.delegations(delegations)
    g.events(events)
    return g.out
