"""The hand-written demo data set: real-ish facts about Vietnam's international S&T cooperation.

Written by the project from public knowledge and the facts in the ministry documents of
``shared/seeds`` (summaries are ours; no sentence is copied). Records marked ``verified`` had
their dates, parties and amounts checked against public sources (e.g. the 123 Agreement, the
Viet Nam - US and Viet Nam - Japan S&T agreements, FIRST, IPP, BIPP, V-KIST). For the others the
subject and the parties are real but dates and details are plausible approximations; the
loader marks them as illustrative so that no demo record passes for the official one, and no
precise official figure is invented. Statuses of agreements are derived from their dates at
load time unless a fact states one (negotiating, renewed, terminated).

Fields are referenced by taxonomy code ("P01", "2.2"), organisations by gazetteer key
("iaea", "koica"), countries by ISO 3166-1 alpha-2, units by code ("htqt").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# ---------------------------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFact:
    code: str
    name_vi: str
    name_en: str
    kind: str  # accounts.Unit.Kind


@dataclass(frozen=True)
class OrgFact:
    key: str
    name_vi: str
    name_en: str
    acronym: str
    kind: str  # registry.Organization.Kind
    country: str | None
    website: str = ""
    parent: str = ""
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartyFact:
    side: str  # "vn" or "foreign"
    country: str = ""  # a state (ISO2) ...
    org: str = ""  # ... or an organisation key, never both
    signatory: str = ""


@dataclass(frozen=True)
class AgreementFact:
    key: str
    title_vi: str
    title_en: str
    kind: str  # registry.Agreement.Kind
    level: str  # registry.Agreement.Level
    parties: tuple[PartyFact, ...]
    signed_on: date | None = None
    signed_place: str = ""
    effective_on: date | None = None
    expires_on: date | None = None
    auto_renew: bool = False
    status: str = ""  # empty: derived from the dates at load time
    fields: tuple[str, ...] = ()
    summary: str = ""
    obligations: str = ""
    legal_basis: str = ""
    owner: str = "htqt"
    public: bool = True
    verified: bool = False  # dates and parties checked against public sources


@dataclass(frozen=True)
class ProjectFact:
    key: str
    title_vi: str
    title_en: str
    kind: str  # registry.Project.Kind
    status: str  # registry.Project.Status
    code: str = ""
    lead: str = ""  # Vietnamese lead organisation key
    funder: str = ""
    agreement: str = ""  # AgreementFact.key
    budget: Decimal | None = None
    currency: str = ""
    planned_start: date | None = None
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    participants: tuple[tuple[str, str], ...] = ()  # (organisation key, IATI role)
    fields: tuple[str, ...] = ()
    description: str = ""
    outputs: str = ""
    owner: str = "htqt"
    public: bool = True
    verified: bool = False


@dataclass(frozen=True)
class MembershipFact:
    org: str
    since: date | None
    focal_unit: str
    status: str = "active"
    annual_fee: Decimal | None = None
    currency: str = ""
    obligations: str = ""
    fields: tuple[str, ...] = ()
    owner: str = "htqt"
    public: bool = True


@dataclass(frozen=True)
class DelegationFact:
    title_vi: str
    title_en: str
    direction: str  # "out" or "in"
    start_on: date
    end_on: date
    countries: tuple[str, ...]
    members_count: int = 5
    purpose: str = ""
    host: str = ""
    agreement: str = ""
    project: str = ""
    trip_report: str = ""
    fields: tuple[str, ...] = ()
    owner: str = "htqt"
    public: bool = True
    verified: bool = False


@dataclass(frozen=True)
class EventFact:
    title_vi: str
    title_en: str
    kind: str  # registry.Event.Kind
    start_on: date
    end_on: date
    city: str
    country: str
    organizer: str = ""
    url: str = ""
    description: str = ""
    fields: tuple[str, ...] = ()
    owner: str = "htqt"
    public: bool = True
    verified: bool = False


@dataclass(frozen=True)
class RepresentativeFact:
    post: str
    country: str
    coverage: tuple[str, ...] = ()
    since: date | None = None
    person: str = ""
    email: str = ""
    fields: tuple[str, ...] = ()
    owner: str = "htqt"
    public: bool = True


def _vn(org: str = "", country: str = "", signatory: str = "") -> PartyFact:
    return PartyFact(side="vn", org=org, country=country, signatory=signatory)


def _fx(org: str = "", country: str = "", signatory: str = "") -> PartyFact:
    return PartyFact(side="foreign", org=org, country=country, signatory=signatory)


VN_GOV = _vn(country="VN")
VN_MOST = _vn(org="most")

# ---------------------------------------------------------------------------------------------
# Units: the ministry's departments and agencies, the ministries, the 34 provinces and cities
# ---------------------------------------------------------------------------------------------

DEPARTMENTS: tuple[UnitFact, ...] = (
    UnitFact("htqt", "Vụ Hợp tác quốc tế", "International Cooperation Department", "department"),
    UnitFact("khtc", "Vụ Kế hoạch - Tài chính", "Planning and Finance Department", "department"),
    UnitFact("phap-che", "Vụ Pháp chế", "Legal Affairs Department", "department"),
    UnitFact(
        "kh-ky-thuat-cong-nghe",
        "Vụ Khoa học kỹ thuật và công nghệ",
        "Department of Engineering Sciences and Technology",
        "department",
    ),
    UnitFact(
        "kh-xa-hoi-tu-nhien",
        "Vụ Khoa học xã hội, nhân văn và tự nhiên",
        "Department of Social, Human and Natural Sciences",
        "department",
    ),
    UnitFact(
        "danh-gia-tham-dinh",
        "Vụ Đánh giá, thẩm định và giám định công nghệ",
        "Department of Technology Evaluation, Appraisal and Assessment",
        "department",
    ),
)

AGENCIES: tuple[UnitFact, ...] = (
    UnitFact(
        "cuc-ung-dung-phat-trien-cong-nghe",
        "Cục Ứng dụng và Phát triển công nghệ",
        "Agency for Technology Application and Development",
        "agency",
    ),
    UnitFact("cuc-so-huu-tri-tue", "Cục Sở hữu trí tuệ", "Intellectual Property Office", "agency"),
    UnitFact(
        "uy-ban-tdc",
        "Ủy ban Tiêu chuẩn Đo lường Chất lượng quốc gia",
        "National Committee for Standards, Metrology and Quality",
        "agency",
    ),
    UnitFact(
        "cuc-atbxhn",
        "Cục An toàn bức xạ và hạt nhân",
        "Agency for Radiation and Nuclear Safety",
        "agency",
    ),
    UnitFact(
        "cuc-nang-luong-nguyen-tu", "Cục Năng lượng nguyên tử", "Atomic Energy Agency", "agency"
    ),
    UnitFact(
        "cuc-doi-moi-sang-tao", "Cục Đổi mới sáng tạo", "National Innovation Agency", "agency"
    ),
    UnitFact(
        "cuc-khoi-nghiep",
        "Cục Khởi nghiệp và Doanh nghiệp công nghệ",
        "Agency for Start-ups and Technology Enterprises",
        "agency",
    ),
    UnitFact(
        "cuc-chuyen-doi-so",
        "Cục Chuyển đổi số quốc gia",
        "National Digital Transformation Agency",
        "agency",
    ),
    UnitFact("cuc-vien-thong", "Cục Viễn thông", "Telecommunications Authority", "agency"),
    UnitFact(
        "cuc-thong-tin-thong-ke",
        "Cục Thông tin, Thống kê",
        "Agency of Information and Statistics",
        "agency",
    ),
    UnitFact(
        "vien-chien-luoc",
        "Viện Chiến lược, Chính sách khoa học và công nghệ",
        "Institute for S&T Policy and Strategy",
        "agency",
    ),
    UnitFact(
        "trung-tam-vu-tru",
        "Trung tâm Vũ trụ Việt Nam",
        "Vietnam National Space Center",
        "agency",
    ),
)

MINISTRIES: tuple[UnitFact, ...] = (
    UnitFact("bo-quoc-phong", "Bộ Quốc phòng", "Ministry of National Defence", "ministry"),
    UnitFact("bo-cong-an", "Bộ Công an", "Ministry of Public Security", "ministry"),
    UnitFact("bo-ngoai-giao", "Bộ Ngoại giao", "Ministry of Foreign Affairs", "ministry"),
    UnitFact("bo-noi-vu", "Bộ Nội vụ", "Ministry of Home Affairs", "ministry"),
    UnitFact("bo-tu-phap", "Bộ Tư pháp", "Ministry of Justice", "ministry"),
    UnitFact("bo-tai-chinh", "Bộ Tài chính", "Ministry of Finance", "ministry"),
    UnitFact("bo-cong-thuong", "Bộ Công Thương", "Ministry of Industry and Trade", "ministry"),
    UnitFact(
        "bo-nong-nghiep-moi-truong",
        "Bộ Nông nghiệp và Môi trường",
        "Ministry of Agriculture and Environment",
        "ministry",
    ),
    UnitFact("bo-xay-dung", "Bộ Xây dựng", "Ministry of Construction", "ministry"),
    UnitFact(
        "bo-van-hoa",
        "Bộ Văn hóa, Thể thao và Du lịch",
        "Ministry of Culture, Sports and Tourism",
        "ministry",
    ),
    UnitFact(
        "bo-giao-duc", "Bộ Giáo dục và Đào tạo", "Ministry of Education and Training", "ministry"
    ),
    UnitFact("bo-y-te", "Bộ Y tế", "Ministry of Health", "ministry"),
    UnitFact(
        "bo-dan-toc-ton-giao",
        "Bộ Dân tộc và Tôn giáo",
        "Ministry of Ethnic and Religious Affairs",
        "ministry",
    ),
    UnitFact(
        "ngan-hang-nha-nuoc", "Ngân hàng Nhà nước Việt Nam", "State Bank of Viet Nam", "ministry"
    ),
    UnitFact("van-phong-chinh-phu", "Văn phòng Chính phủ", "Government Office", "ministry"),
    UnitFact(
        "vien-han-lam-khcn",
        "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
        "Vietnam Academy of Science and Technology",
        "ministry",
    ),
    UnitFact(
        "vien-han-lam-khxh",
        "Viện Hàn lâm Khoa học xã hội Việt Nam",
        "Vietnam Academy of Social Sciences",
        "ministry",
    ),
    UnitFact(
        "dhqg-ha-noi", "Đại học Quốc gia Hà Nội", "Vietnam National University, Hanoi", "ministry"
    ),
    UnitFact(
        "dhqg-tp-hcm",
        "Đại học Quốc gia Thành phố Hồ Chí Minh",
        "Vietnam National University, Ho Chi Minh City",
        "ministry",
    ),
)

# The 34 provinces and centrally-run cities after the merger of 1 July 2025.
_CITIES = (
    ("ha-noi", "Hà Nội", "Ha Noi"),
    ("hue", "Huế", "Hue"),
    ("hai-phong", "Hải Phòng", "Hai Phong"),
    ("da-nang", "Đà Nẵng", "Da Nang"),
    ("ho-chi-minh", "Hồ Chí Minh", "Ho Chi Minh"),
    ("can-tho", "Cần Thơ", "Can Tho"),
)
_PROVINCES = (
    ("lai-chau", "Lai Châu", "Lai Chau"),
    ("dien-bien", "Điện Biên", "Dien Bien"),
    ("son-la", "Sơn La", "Son La"),
    ("lang-son", "Lạng Sơn", "Lang Son"),
    ("quang-ninh", "Quảng Ninh", "Quang Ninh"),
    ("thanh-hoa", "Thanh Hóa", "Thanh Hoa"),
    ("nghe-an", "Nghệ An", "Nghe An"),
    ("ha-tinh", "Hà Tĩnh", "Ha Tinh"),
    ("cao-bang", "Cao Bằng", "Cao Bang"),
    ("tuyen-quang", "Tuyên Quang", "Tuyen Quang"),
    ("lao-cai", "Lào Cai", "Lao Cai"),
    ("thai-nguyen", "Thái Nguyên", "Thai Nguyen"),
    ("phu-tho", "Phú Thọ", "Phu Tho"),
    ("bac-ninh", "Bắc Ninh", "Bac Ninh"),
    ("hung-yen", "Hưng Yên", "Hung Yen"),
    ("ninh-binh", "Ninh Bình", "Ninh Binh"),
    ("quang-tri", "Quảng Trị", "Quang Tri"),
    ("quang-ngai", "Quảng Ngãi", "Quang Ngai"),
    ("gia-lai", "Gia Lai", "Gia Lai"),
    ("khanh-hoa", "Khánh Hòa", "Khanh Hoa"),
    ("lam-dong", "Lâm Đồng", "Lam Dong"),
    ("dak-lak", "Đắk Lắk", "Dak Lak"),
    ("dong-nai", "Đồng Nai", "Dong Nai"),
    ("tay-ninh", "Tây Ninh", "Tay Ninh"),
    ("vinh-long", "Vĩnh Long", "Vinh Long"),
    ("dong-thap", "Đồng Tháp", "Dong Thap"),
    ("ca-mau", "Cà Mau", "Ca Mau"),
    ("an-giang", "An Giang", "An Giang"),
)
PROVINCES: tuple[UnitFact, ...] = tuple(
    UnitFact(code, f"Thành phố {vi}", f"{en} City", "province") for code, vi, en in _CITIES
) + tuple(UnitFact(code, f"Tỉnh {vi}", f"{en} Province", "province") for code, vi, en in _PROVINCES)

UNITS: tuple[UnitFact, ...] = DEPARTMENTS + AGENCIES + MINISTRIES + PROVINCES

# ---------------------------------------------------------------------------------------------
# Organisations not (necessarily) in the vntext gazetteer: created with get_or_create by key
# ---------------------------------------------------------------------------------------------

# Vietnamese research organisations that lead projects.
VN_ORGS: tuple[OrgFact, ...] = (
    OrgFact(
        "so-khcn-ha-noi",
        "Sở Khoa học và Công nghệ Thành phố Hà Nội",
        "Ha Noi Department of Science and Technology",
        "",
        "government_agency",
        "VN",
    ),
    OrgFact(
        "vien-vat-ly",
        "Viện Vật lý",
        "Institute of Physics",
        "IOP",
        "research_institute",
        "VN",
        parent="vast",
    ),
    OrgFact(
        "vien-cong-nghe-sinh-hoc",
        "Viện Công nghệ sinh học",
        "Institute of Biotechnology",
        "IBT",
        "research_institute",
        "VN",
        parent="vast",
    ),
    OrgFact(
        "vien-khoa-hoc-vat-lieu",
        "Viện Khoa học vật liệu",
        "Institute of Materials Science",
        "IMS",
        "research_institute",
        "VN",
        parent="vast",
    ),
    OrgFact(
        "vien-cong-nghe-vu-tru",
        "Viện Công nghệ vũ trụ",
        "Space Technology Institute",
        "STI",
        "research_institute",
        "VN",
        parent="vast",
    ),
    OrgFact(
        "vien-hai-duong-hoc",
        "Viện Hải dương học",
        "Institute of Oceanography",
        "",
        "research_institute",
        "VN",
        parent="vast",
    ),
    OrgFact(
        "trung-tam-nhiet-doi-viet-nga",
        "Trung tâm Nhiệt đới Việt - Nga",
        "Vietnam-Russia Tropical Centre",
        "",
        "research_institute",
        "VN",
    ),
    OrgFact(
        "vien-di-truyen-nong-nghiep",
        "Viện Di truyền Nông nghiệp",
        "Agricultural Genetics Institute",
        "AGI",
        "research_institute",
        "VN",
    ),
    OrgFact(
        "vien-lua-dbscl",
        "Viện Lúa Đồng bằng sông Cửu Long",
        "Cuu Long Delta Rice Research Institute",
        "CLRRI",
        "research_institute",
        "VN",
    ),
    OrgFact(
        "vien-ve-sinh-dich-te",
        "Viện Vệ sinh Dịch tễ Trung ương",
        "National Institute of Hygiene and Epidemiology",
        "NIHE",
        "research_institute",
        "VN",
    ),
    OrgFact(
        "vien-thu-y",
        "Viện Thú y",
        "National Institute of Veterinary Research",
        "NIVR",
        "research_institute",
        "VN",
    ),
    OrgFact(
        "vien-nghien-cuu-hat-nhan",
        "Viện Nghiên cứu hạt nhân",
        "Nuclear Research Institute",
        "NRI",
        "research_institute",
        "VN",
        parent="vinatom",
    ),
    OrgFact(
        "dai-hoc-can-tho", "Trường Đại học Cần Thơ", "Can Tho University", "CTU", "university", "VN"
    ),
    OrgFact(
        "dai-hoc-da-nang", "Đại học Đà Nẵng", "University of Da Nang", "UD", "university", "VN"
    ),
    OrgFact("dai-hoc-hue", "Đại học Huế", "Hue University", "HUEUNI", "university", "VN"),
    OrgFact(
        "dai-hoc-thai-nguyen",
        "Đại học Thái Nguyên",
        "Thai Nguyen University",
        "TNU",
        "university",
        "VN",
    ),
    OrgFact(
        "hoc-vien-nong-nghiep",
        "Học viện Nông nghiệp Việt Nam",
        "Vietnam National University of Agriculture",
        "VNUA",
        "university",
        "VN",
    ),
    OrgFact(
        "vien-co-khi",
        "Viện Nghiên cứu Cơ khí",
        "National Research Institute of Mechanical Engineering",
        "NARIME",
        "research_institute",
        "VN",
    ),
    OrgFact(
        "vien-nang-luong",
        "Viện Năng lượng",
        "Institute of Energy",
        "IE",
        "research_institute",
        "VN",
    ),
    OrgFact(
        "vien-dien-tu-tin-hoc",
        "Viện Điện tử - Tin học - Tự động hóa",
        "Institute of Electronics, Informatics and Automation",
        "",
        "research_institute",
        "VN",
    ),
    OrgFact(
        "viettel",
        "Tập đoàn Công nghiệp - Viễn thông Quân đội",
        "Viettel Group",
        "Viettel",
        "company",
        "VN",
        "https://viettel.com.vn",
    ),
    OrgFact(
        "fpt", "Công ty Cổ phần FPT", "FPT Corporation", "FPT", "company", "VN", "https://fpt.com"
    ),
    OrgFact(
        "vnpt", "Tập đoàn Bưu chính Viễn thông Việt Nam", "VNPT Group", "VNPT", "company", "VN"
    ),
    OrgFact(
        "khu-cnc-hoa-lac",
        "Khu Công nghệ cao Hòa Lạc",
        "Hoa Lac Hi-Tech Park",
        "HHTP",
        "government_agency",
        "VN",
    ),
    OrgFact(
        "trung-tam-vu-tru-vn",
        "Trung tâm Vũ trụ Việt Nam",
        "Vietnam National Space Center",
        "VNSC",
        "research_institute",
        "VN",
        parent="vast",
    ),
)

# Foreign partners: a handful of agencies, universities, institutes and companies per major
# partner country, plus organisations the facts below need that the gazetteer may lack.
FOREIGN_ORGS: tuple[OrgFact, ...] = (
    OrgFact(
        "keit",
        "Viện Đánh giá Công nghệ công nghiệp Hàn Quốc",
        "Korea Evaluation Institute of Industrial Technology",
        "KEIT",
        "government_agency",
        "KR",
    ),
    OrgFact(
        "seoul-business-agency",
        "Cơ quan Xúc tiến Kinh doanh Seoul",
        "Seoul Business Agency",
        "SBA",
        "government_agency",
        "KR",
    ),
    # Korea
    OrgFact(
        "snu",
        "Đại học Quốc gia Seoul",
        "Seoul National University",
        "SNU",
        "university",
        "KR",
        "https://www.snu.ac.kr",
    ),
    OrgFact(
        "kaist",
        "Viện Khoa học và Công nghệ tiên tiến Hàn Quốc",
        "Korea Advanced Institute of Science and Technology",
        "KAIST",
        "university",
        "KR",
        "https://www.kaist.ac.kr",
    ),
    OrgFact(
        "krict",
        "Viện Nghiên cứu Công nghệ hóa học Hàn Quốc",
        "Korea Research Institute of Chemical Technology",
        "KRICT",
        "research_institute",
        "KR",
    ),
    OrgFact(
        "etri",
        "Viện Nghiên cứu Điện tử và Viễn thông Hàn Quốc",
        "Electronics and Telecommunications Research Institute",
        "ETRI",
        "research_institute",
        "KR",
    ),
    OrgFact("samsung", "Tập đoàn Samsung", "Samsung Electronics", "Samsung", "company", "KR"),
    OrgFact(
        "kaeri",
        "Viện Nghiên cứu Năng lượng nguyên tử Hàn Quốc",
        "Korea Atomic Energy Research Institute",
        "KAERI",
        "research_institute",
        "KR",
    ),
    # Japan
    OrgFact("u-tokyo", "Đại học Tokyo", "The University of Tokyo", "UTokyo", "university", "JP"),
    OrgFact("tohoku-u", "Đại học Tohoku", "Tohoku University", "", "university", "JP"),
    OrgFact(
        "riken",
        "Viện Nghiên cứu Vật lý và Hóa học Nhật Bản",
        "RIKEN",
        "RIKEN",
        "research_institute",
        "JP",
    ),
    OrgFact(
        "jaxa",
        "Cơ quan Thám hiểm Hàng không vũ trụ Nhật Bản",
        "Japan Aerospace Exploration Agency",
        "JAXA",
        "government_agency",
        "JP",
    ),
    OrgFact("abi-japan", "Công ty ABI", "ABI Co., Ltd.", "ABI", "company", "JP"),
    # United States
    OrgFact(
        "us-state-dept",
        "Bộ Ngoại giao Hoa Kỳ",
        "U.S. Department of State",
        "DOS",
        "government_agency",
        "US",
    ),
    OrgFact(
        "mit",
        "Viện Công nghệ Massachusetts",
        "Massachusetts Institute of Technology",
        "MIT",
        "university",
        "US",
    ),
    OrgFact(
        "arizona-state-u",
        "Đại học Bang Arizona",
        "Arizona State University",
        "ASU",
        "university",
        "US",
    ),
    OrgFact("intel", "Tập đoàn Intel", "Intel Corporation", "Intel", "company", "US"),
    OrgFact("nvidia", "Tập đoàn NVIDIA", "NVIDIA Corporation", "NVIDIA", "company", "US"),
    # Russia
    OrgFact(
        "msu",
        "Đại học Tổng hợp Quốc gia Mát-xcơ-va",
        "Lomonosov Moscow State University",
        "MSU",
        "university",
        "RU",
    ),
    OrgFact(
        "rosatom",
        "Tập đoàn Năng lượng nguyên tử Quốc gia Nga",
        "Rosatom State Atomic Energy Corporation",
        "Rosatom",
        "company",
        "RU",
    ),
    OrgFact(
        "minobrnauki",
        "Bộ Khoa học và Giáo dục đại học Liên bang Nga",
        "Ministry of Science and Higher Education of the Russian Federation",
        "",
        "government_agency",
        "RU",
    ),
    OrgFact(
        "skoltech",
        "Viện Khoa học và Công nghệ Skolkovo",
        "Skolkovo Institute of Science and Technology",
        "Skoltech",
        "university",
        "RU",
    ),
    # Germany
    OrgFact(
        "tum",
        "Đại học Kỹ thuật München",
        "Technical University of Munich",
        "TUM",
        "university",
        "DE",
    ),
    OrgFact(
        "kit",
        "Viện Công nghệ Karlsruhe",
        "Karlsruhe Institute of Technology",
        "KIT",
        "university",
        "DE",
    ),
    OrgFact("messe-muenchen", "Tập đoàn Messe München", "Messe München GmbH", "", "company", "DE"),
    OrgFact("siemens", "Tập đoàn Siemens", "Siemens AG", "Siemens", "company", "DE"),
    # France
    OrgFact(
        "cea",
        "Ủy ban Năng lượng nguyên tử và Năng lượng thay thế Pháp",
        "French Alternative Energies and Atomic Energy Commission",
        "CEA",
        "research_institute",
        "FR",
    ),
    OrgFact(
        "ircelyon",
        "Viện Xúc tác Lyon",
        "Institute of Researches on Catalysis and Environment in Lyon",
        "IRCELYON",
        "research_institute",
        "FR",
    ),
    OrgFact(
        "usth-partners",
        "Hiệp hội các trường đại học Pháp hỗ trợ USTH",
        "USTH French university consortium",
        "",
        "university",
        "FR",
    ),
    OrgFact("sanofi", "Tập đoàn Sanofi", "Sanofi", "Sanofi", "company", "FR"),
    # China
    OrgFact("tsinghua", "Đại học Thanh Hoa", "Tsinghua University", "", "university", "CN"),
    OrgFact("huawei", "Tập đoàn Huawei", "Huawei Technologies", "Huawei", "company", "CN"),
    # India
    OrgFact(
        "dst-india",
        "Bộ Khoa học và Công nghệ Ấn Độ",
        "Department of Science and Technology (India)",
        "DST",
        "government_agency",
        "IN",
    ),
    OrgFact(
        "iit-delhi",
        "Viện Công nghệ Ấn Độ Delhi",
        "Indian Institute of Technology Delhi",
        "IIT Delhi",
        "university",
        "IN",
    ),
    OrgFact(
        "isro",
        "Tổ chức Nghiên cứu Vũ trụ Ấn Độ",
        "Indian Space Research Organisation",
        "ISRO",
        "government_agency",
        "IN",
    ),
    # Israel
    OrgFact(
        "israel-innovation-authority",
        "Cơ quan Đổi mới sáng tạo I-xra-en",
        "Israel Innovation Authority",
        "IIA",
        "government_agency",
        "IL",
    ),
    OrgFact(
        "technion",
        "Viện Công nghệ I-xra-en Technion",
        "Technion - Israel Institute of Technology",
        "Technion",
        "university",
        "IL",
    ),
    OrgFact("juran", "Công ty Juran", "Juran Technologies", "", "company", "IL"),
    # Hungary, Czechia, Belarus
    OrgFact(
        "nkfih",
        "Văn phòng Nghiên cứu, Phát triển và Đổi mới sáng tạo quốc gia Hungary",
        "National Research, Development and Innovation Office (Hungary)",
        "NKFIH",
        "government_agency",
        "HU",
    ),
    OrgFact(
        "bme",
        "Đại học Kinh tế và Công nghệ Budapest",
        "Budapest University of Technology and Economics",
        "BME",
        "university",
        "HU",
    ),
    OrgFact(
        "cvut",
        "Đại học Kỹ thuật Séc tại Praha",
        "Czech Technical University in Prague",
        "CTU",
        "university",
        "CZ",
    ),
    OrgFact(
        "tacr",
        "Cơ quan Công nghệ Cộng hòa Séc",
        "Technology Agency of the Czech Republic",
        "TA CR",
        "government_agency",
        "CZ",
    ),
    OrgFact(
        "gknt-belarus",
        "Ủy ban Nhà nước về Khoa học và Công nghệ Bê-la-rút",
        "State Committee on Science and Technology of Belarus",
        "GKNT",
        "government_agency",
        "BY",
    ),
    # Argentina, Australia, Iran, Sweden, UK, Finland, Belgium, Singapore, Italy, UAE
    OrgFact(
        "mincyt",
        "Bộ Khoa học, Công nghệ và Đổi mới Ác-hen-ti-na",
        "Ministry of Science, Technology and Innovation (Argentina)",
        "MINCyT",
        "government_agency",
        "AR",
    ),
    OrgFact(
        "conicet",
        "Hội đồng Nghiên cứu Khoa học và Kỹ thuật Quốc gia Ác-hen-ti-na",
        "National Scientific and Technical Research Council (Argentina)",
        "CONICET",
        "research_institute",
        "AR",
    ),
    OrgFact("unsw", "Đại học New South Wales", "UNSW Sydney", "UNSW", "university", "AU"),
    OrgFact(
        "msrt-iran",
        "Bộ Khoa học, Nghiên cứu và Công nghệ I-ran",
        "Ministry of Science, Research and Technology (Iran)",
        "MSRT",
        "government_agency",
        "IR",
    ),
    OrgFact("karolinska", "Học viện Karolinska", "Karolinska Institutet", "KI", "university", "SE"),
    OrgFact(
        "vinnova",
        "Cơ quan Đổi mới sáng tạo Thụy Điển",
        "Sweden's Innovation Agency",
        "Vinnova",
        "government_agency",
        "SE",
    ),
    OrgFact(
        "imperial", "Đại học Hoàng gia Luân Đôn", "Imperial College London", "", "university", "GB"
    ),
    OrgFact(
        "formin-finland",
        "Bộ Ngoại giao Phần Lan",
        "Ministry for Foreign Affairs of Finland",
        "",
        "government_agency",
        "FI",
    ),
    OrgFact(
        "vtt",
        "Trung tâm Nghiên cứu kỹ thuật Phần Lan",
        "VTT Technical Research Centre of Finland",
        "VTT",
        "research_institute",
        "FI",
    ),
    OrgFact("ku-leuven", "Đại học KU Leuven", "KU Leuven", "", "university", "BE"),
    OrgFact(
        "nus",
        "Đại học Quốc gia Xin-ga-po",
        "National University of Singapore",
        "NUS",
        "university",
        "SG",
    ),
    OrgFact(
        "cnr-italy",
        "Hội đồng Nghiên cứu Quốc gia I-ta-li-a",
        "National Research Council of Italy",
        "CNR",
        "research_institute",
        "IT",
    ),
    OrgFact(
        "mbzuai",
        "Đại học Trí tuệ nhân tạo Mohamed bin Zayed",
        "Mohamed bin Zayed University of Artificial Intelligence",
        "MBZUAI",
        "university",
        "AE",
    ),
    OrgFact(
        "lao-most",
        "Bộ Công nghệ và Truyền thông Lào",
        "Ministry of Technology and Communications (Lao PDR)",
        "MTC",
        "government_agency",
        "LA",
    ),
    OrgFact(
        "citma",
        "Bộ Khoa học, Công nghệ và Môi trường Cu-ba",
        "Ministry of Science, Technology and Environment (Cuba)",
        "CITMA",
        "government_agency",
        "CU",
    ),
    OrgFact(
        "cgiar-irri",
        "Viện Nghiên cứu Lúa quốc tế",
        "International Rice Research Institute",
        "IRRI",
        "research_institute",
        "PH",
    ),
    # International bodies the memberships need (metrology).
    OrgFact(
        "bipm",
        "Văn phòng Cân đo quốc tế",
        "International Bureau of Weights and Measures",
        "BIPM",
        "international",
        None,
        "https://www.bipm.org",
    ),
    OrgFact(
        "oiml",
        "Tổ chức Đo lường pháp định quốc tế",
        "International Organization of Legal Metrology",
        "OIML",
        "international",
        None,
        "https://www.oiml.org",
    ),
    OrgFact(
        "apmp",
        "Chương trình Đo lường châu Á - Thái Bình Dương",
        "Asia Pacific Metrology Programme",
        "APMP",
        "regional",
        None,
    ),
    OrgFact(
        "isc",
        "Hội đồng Khoa học quốc tế",
        "International Science Council",
        "ISC",
        "international",
        None,
    ),
    OrgFact(
        "apo",
        "Tổ chức Năng suất châu Á",
        "Asian Productivity Organization",
        "APO",
        "regional",
        None,
    ),
)

# Minimal definitions of gazetteer organisations the demo cannot do without; used only when
# the gazetteer (vntext/data/organizations.tsv) lacks the key.
GAZETTEER_FALLBACK: tuple[OrgFact, ...] = (
    OrgFact(
        "most",
        "Bộ Khoa học và Công nghệ",
        "Ministry of Science and Technology of Viet Nam",
        "MOST",
        "government_agency",
        "VN",
    ),
    OrgFact(
        "iaea",
        "Cơ quan Năng lượng nguyên tử quốc tế",
        "International Atomic Energy Agency",
        "IAEA",
        "international",
        None,
    ),
    OrgFact("world-bank", "Ngân hàng Thế giới", "World Bank", "WB", "international", None),
    OrgFact(
        "koica",
        "Cơ quan Hợp tác quốc tế Hàn Quốc",
        "Korea International Cooperation Agency",
        "KOICA",
        "government_agency",
        "KR",
    ),
    OrgFact(
        "kisti",
        "Viện Thông tin Khoa học và Công nghệ Hàn Quốc",
        "Korea Institute of Science and Technology Information",
        "KISTI",
        "research_institute",
        "KR",
    ),
    OrgFact(
        "kiat",
        "Viện Xúc tiến Công nghệ Hàn Quốc",
        "Korea Institute for Advancement of Technology",
        "KIAT",
        "government_agency",
        "KR",
    ),
    OrgFact(
        "ipi-singapore",
        "Tổ chức Trung gian Sở hữu trí tuệ Singapore",
        "Intellectual Property Intermediary Singapore",
        "IPI",
        "technology_exchange",
        "SG",
    ),
    OrgFact(
        "imag",
        "Tổ chức IMAG (Tập đoàn Messe München)",
        "IMAG (Messe München)",
        "IMAG",
        "company",
        "DE",
    ),
    OrgFact(
        "shanghai-tech-exchange",
        "Sàn giao dịch công nghệ Thượng Hải",
        "Shanghai Technology Exchange",
        "STEX",
        "technology_exchange",
        "CN",
    ),
    OrgFact(
        "v-kist",
        "Viện Khoa học và Công nghệ Việt Nam - Hàn Quốc",
        "Korea-Vietnam Institute of Science and Technology",
        "V-KIST",
        "research_institute",
        "VN",
    ),
)

# ---------------------------------------------------------------------------------------------
# Legal bases named in the ministry's documents
# ---------------------------------------------------------------------------------------------

LEGAL_BASES: dict[str, str] = {
    "nq20": "Nghị quyết số 20-NQ/TW ngày 31/10/2012 của Hội nghị Trung ương 6 khóa XI",
    "nq52": "Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị",
    "qd418": "Quyết định số 418/QĐ-TTg ngày 11/4/2012 của Thủ tướng Chính phủ",
    "qd735": "Quyết định số 735/QĐ-TTg ngày 18/5/2011 của Thủ tướng Chính phủ",
    "qd538": "Quyết định số 538/QĐ-TTg ngày 16/4/2014 của Thủ tướng Chính phủ",
    "qd1069": "Quyết định số 1069/QĐ-TTg ngày 04/7/2014 của Thủ tướng Chính phủ",
    "qd1851": "Quyết định số 1851/QĐ-TTg ngày 27/12/2018 của Thủ tướng Chính phủ",
}
_L = LEGAL_BASES

# ---------------------------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------------------------

AGREEMENTS: tuple[AgreementFact, ...] = (
    AgreementFact(
        key="us-123",
        title_vi="Hiệp định hợp tác giữa Chính phủ nước Cộng hòa xã hội chủ nghĩa Việt Nam và "
        "Chính phủ Hợp chúng quốc Hoa Kỳ về sử dụng hòa bình năng lượng hạt nhân (Hiệp định 123)",
        title_en="Agreement for Cooperation between the Government of the Socialist Republic of "
        "Viet Nam and the Government of the United States of America concerning Peaceful Uses "
        "of Nuclear Energy (123 Agreement)",
        kind="intergovernmental",
        level="government",
        parties=(
            _vn(country="VN", signatory="Nguyễn Quân, Bộ trưởng Bộ Khoa học và Công nghệ"),
            _fx(country="US", signatory="David Shear, Đại sứ Hoa Kỳ tại Việt Nam"),
        ),
        signed_on=date(2014, 5, 6),
        signed_place="Hà Nội",
        effective_on=date(2014, 10, 3),
        expires_on=date(2044, 10, 2),
        fields=("P17", "1.3", "2.2"),
        summary="Khung pháp lý cho việc chuyển giao vật liệu, thiết bị và công nghệ hạt nhân "
        "dân sự giữa hai nước; đánh dấu mức độ tin cậy mới trong quan hệ Việt Nam - Hoa Kỳ và mở "
        "đường cho các dự án ứng dụng bức xạ và phát triển điện hạt nhân vì mục đích hòa bình. "
        "Được ký tắt ngày 10/10/2013 bên lề Hội nghị cấp cao ASEAN tại Bru-nây; thời hạn 30 năm.",
        verified=True,
        obligations="Chỉ sử dụng vật liệu và thiết bị được chuyển giao cho mục đích hòa bình; "
        "áp dụng thanh sát của IAEA; bảo đảm an ninh vật liệu hạt nhân; không làm giàu và tái "
        "chế nhiên liệu khi chưa có thỏa thuận riêng.",
        legal_basis=_L["qd735"],
    ),
    AgreementFact(
        key="ru-strategic",
        title_vi="Hiệp định giữa Chính phủ nước Cộng hòa xã hội chủ nghĩa Việt Nam và Chính phủ "
        "Liên bang Nga về đối tác chiến lược trong lĩnh vực giáo dục, khoa học và công nghệ",
        title_en="Agreement between the Governments of Viet Nam and the Russian Federation on "
        "strategic partnership in education, science and technology",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="RU")),
        signed_on=date(2014, 11, 25),
        signed_place="Mát-xcơ-va",
        effective_on=date(2014, 11, 25),
        auto_renew=True,
        fields=("5.3", "1", "2", "P17"),
        summary="Nâng hợp tác giáo dục, khoa học và công nghệ Việt - Nga lên tầm đối tác chiến "
        "lược: đào tạo nhân lực trình độ cao, nghiên cứu chung, trao đổi nhà khoa học và phát "
        "triển Trung tâm Nhiệt đới Việt - Nga.",
        obligations="Hằng năm thống nhất kế hoạch hợp tác trong khuôn khổ Tiểu ban hợp tác khoa "
        "học và công nghệ của Ủy ban liên Chính phủ; cấp học bổng và đồng tài trợ nhiệm vụ "
        "nghiên cứu chung.",
        legal_basis=_L["qd735"],
    ),
    AgreementFact(
        key="us-st",
        title_vi="Hiệp định hợp tác khoa học và công nghệ giữa Chính phủ Việt Nam và Chính phủ "
        "Hoa Kỳ",
        title_en="Agreement on Science and Technology Cooperation between the Government of "
        "Viet Nam and the Government of the United States of America",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="US")),
        signed_on=date(2000, 11, 17),
        signed_place="Hà Nội",
        effective_on=date(2000, 11, 17),
        expires_on=date(2030, 11, 16),
        auto_renew=True,
        status="renewed",
        fields=("1", "2", "3", "4"),
        summary="Khung hợp tác nghiên cứu chung, trao đổi chuyên gia và thông tin khoa học, ký "
        "trong chuyến thăm Việt Nam của Tổng thống Hoa Kỳ; được gia hạn theo từng chu kỳ và triển "
        "khai qua các phiên họp Ủy ban hỗn hợp (JCM).",
        verified=True,
        obligations="Họp Ủy ban hỗn hợp về hợp tác KH&CN định kỳ; bảo hộ quyền sở hữu trí tuệ "
        "đối với kết quả nghiên cứu chung theo phụ lục của Hiệp định.",
    ),
    AgreementFact(
        key="kr-st",
        title_vi="Hiệp định hợp tác khoa học và công nghệ giữa Chính phủ Việt Nam và Chính phủ "
        "Đại Hàn Dân Quốc",
        title_en="Agreement on Scientific and Technological Cooperation between Viet Nam and the "
        "Republic of Korea",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="KR")),
        signed_on=date(1995, 4, 13),
        signed_place="Seoul",
        effective_on=date(1995, 4, 13),
        auto_renew=True,
        fields=("1", "2", "P01", "P02", "P08"),
        summary="Cơ sở cho Ủy ban hỗn hợp KH&CN Việt Nam - Hàn Quốc, các nhiệm vụ nghị định thư "
        "và việc thành lập Viện V-KIST.",
        obligations="Luân phiên tổ chức phiên họp Ủy ban hỗn hợp; đồng tài trợ nghiên cứu chung.",
    ),
    AgreementFact(
        key="jp-st",
        title_vi="Hiệp định hợp tác khoa học và công nghệ giữa Chính phủ Việt Nam và Chính phủ "
        "Nhật Bản",
        title_en="Agreement on Cooperation in Science and Technology between Viet Nam and Japan",
        kind="intergovernmental",
        level="government",
        parties=(
            _vn(country="VN", signatory="Hoàng Văn Phong, Bộ trưởng Bộ Khoa học và Công nghệ"),
            _fx(country="JP", signatory="Iwao Matsuda, Bộ trưởng phụ trách chính sách KH&CN"),
        ),
        signed_on=date(2006, 8, 21),
        signed_place="Hà Nội",
        effective_on=date(2006, 8, 21),
        auto_renew=True,
        fields=("1", "2", "P18", "P15", "P16"),
        summary="Khuôn khổ cho hợp tác nghiên cứu, chương trình SATREPS, hỗ trợ xây dựng Trung "
        "tâm Vũ trụ Việt Nam và các dự án chuyển giao công nghệ của Nhật Bản; có hiệu lực ngay "
        "khi ký và lập Ủy ban hỗn hợp giữa hai Chính phủ.",
        verified=True,
    ),
    AgreementFact(
        key="in-st",
        title_vi="Hiệp định hợp tác khoa học và công nghệ giữa Chính phủ Việt Nam và Chính phủ "
        "Cộng hòa Ấn Độ",
        title_en="Agreement on Science and Technology Cooperation between Viet Nam and India",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="IN")),
        signed_on=date(1996, 3, 8),
        signed_place="Niu Đê-li",
        effective_on=date(1996, 3, 8),
        auto_renew=True,
        fields=("1.2", "P18", "P03", "P12"),
        summary="Cơ sở cho Ủy ban hỗn hợp KH&CN Việt Nam - Ấn Độ và chương trình nghiên cứu "
        "chung; hợp tác công nghệ thông tin, vũ trụ, công nghệ sinh học.",
    ),
    AgreementFact(
        key="il-rd",
        title_vi="Hiệp định hợp tác nghiên cứu và phát triển công nghiệp giữa Chính phủ Việt Nam "
        "và Chính phủ Nhà nước I-xra-en",
        title_en="Agreement on Industrial Research and Development Cooperation between Viet Nam "
        "and Israel",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="IL")),
        signed_on=date(2013, 6, 26),
        signed_place="Gie-ru-xa-lem",
        effective_on=date(2014, 1, 15),
        auto_renew=True,
        fields=("P16", "P05", "P27", "2.7"),
        summary="Đồng tài trợ các dự án nghiên cứu và phát triển công nghiệp giữa doanh nghiệp "
        "hai nước, tập trung nông nghiệp công nghệ cao, nước và công nghệ thông tin.",
    ),
    AgreementFact(
        key="de-st",
        title_vi="Hiệp định hợp tác nghiên cứu khoa học và phát triển công nghệ giữa Chính phủ "
        "Việt Nam và Chính phủ Cộng hòa Liên bang Đức",
        title_en="Agreement on Cooperation in Scientific Research and Technological Development "
        "between Viet Nam and Germany",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="DE")),
        signed_on=date(1996, 11, 21),
        signed_place="Bon",
        effective_on=date(1997, 3, 1),
        auto_renew=True,
        fields=("2", "P15", "P09", "P22"),
        summary="Hợp tác nghiên cứu với các viện, trường của Đức, đào tạo tiến sĩ và các dự án "
        "về tài nguyên nước, năng lượng và sản xuất tiên tiến.",
    ),
    AgreementFact(
        key="fr-st",
        title_vi="Thỏa thuận hợp tác khoa học và công nghệ giữa Bộ Khoa học và Công nghệ Việt Nam "
        "và Bộ Giáo dục đại học và Nghiên cứu Pháp",
        title_en="Arrangement on S&T cooperation between the Ministry of Science and Technology "
        "of Viet Nam and the French Ministry of Higher Education and Research",
        kind="ministry",
        level="ministry",
        parties=(VN_MOST, _fx(country="FR")),
        signed_on=date(2018, 3, 27),
        signed_place="Pa-ri",
        effective_on=date(2018, 3, 27),
        expires_on=date(2028, 3, 26),
        status="renewed",
        fields=("1", "P18", "P15", "3"),
        summary="Hợp tác nghiên cứu chung, hỗ trợ Trường Đại học Khoa học và Công nghệ Hà Nội "
        "(USTH) và các chương trình đối tác Hubert Curien (Lotus).",
    ),
    AgreementFact(
        key="hu-st",
        title_vi="Hiệp định hợp tác khoa học và công nghệ giữa Chính phủ Việt Nam và Chính phủ "
        "Hungary",
        title_en="Agreement on Scientific and Technological Cooperation between Viet Nam and "
        "Hungary",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="HU")),
        signed_on=date(2013, 9, 16),
        signed_place="Bu-đa-pét",
        effective_on=date(2014, 3, 1),
        auto_renew=True,
        fields=("1", "2", "4"),
        summary="Gọi đề xuất nghiên cứu chung định kỳ, đồng tài trợ các nhiệm vụ nghị định thư "
        "và trao đổi nhà khoa học.",
    ),
    AgreementFact(
        key="cz-st",
        title_vi="Hiệp định hợp tác kinh tế, công nghiệp, khoa học và công nghệ giữa Chính phủ "
        "Việt Nam và Chính phủ Cộng hòa Séc",
        title_en="Agreement on economic, industrial, scientific and technological cooperation "
        "between Viet Nam and the Czech Republic",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="CZ")),
        signed_on=date(2007, 10, 24),
        signed_place="Pra-ha",
        effective_on=date(2008, 5, 1),
        auto_renew=True,
        fields=("2.3", "P22", "P09"),
        summary="Khuôn khổ hợp tác công nghiệp và KH&CN, gồm cơ khí chế tạo, năng lượng và đào "
        "tạo kỹ sư.",
    ),
    AgreementFact(
        key="by-st",
        title_vi="Hiệp định hợp tác khoa học và công nghệ giữa Chính phủ Việt Nam và Chính phủ "
        "Cộng hòa Bê-la-rút",
        title_en="Agreement on Scientific and Technological Cooperation between Viet Nam and "
        "Belarus",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="BY")),
        signed_on=date(2008, 9, 5),
        signed_place="Min-xcơ",
        effective_on=date(2008, 9, 5),
        auto_renew=True,
        fields=("2.5", "2.3", "P19", "P20"),
        summary="Ủy ban hợp tác KH&CN Việt Nam - Bê-la-rút điều phối các nhiệm vụ nghiên cứu chung "
        "về vật liệu, cơ khí chính xác, quang học và công nghệ sinh học.",
    ),
    AgreementFact(
        key="ar-st",
        title_vi="Hiệp định hợp tác khoa học và công nghệ giữa Chính phủ Việt Nam và Chính phủ "
        "Cộng hòa Ác-hen-ti-na",
        title_en="Agreement on Scientific and Technological Cooperation between Viet Nam and "
        "Argentina",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="AR")),
        signed_on=date(2009, 10, 20),
        signed_place="Hà Nội",
        effective_on=date(2010, 2, 1),
        auto_renew=True,
        fields=("4", "P12", "P16"),
        summary="Hợp tác công nghệ sinh học nông nghiệp, giống cây trồng và vật nuôi, năng lượng "
        "nguyên tử vì mục đích hòa bình.",
    ),
    AgreementFact(
        key="au-st",
        title_vi="Hiệp định hợp tác khoa học và công nghệ giữa Chính phủ Việt Nam và Chính phủ "
        "Ô-xtrây-li-a",
        title_en="Agreement on Scientific and Technological Cooperation between Viet Nam and "
        "Australia",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="AU")),
        signed_on=date(1993, 4, 27),
        signed_place="Can-bê-ra",
        effective_on=date(1993, 4, 27),
        auto_renew=True,
        fields=("4", "P27", "P15"),
        summary="Nền tảng cho chương trình Aus4Innovation và hợp tác nghiên cứu nông nghiệp.",
    ),
    AgreementFact(
        key="cn-st",
        title_vi="Hiệp định hợp tác khoa học và kỹ thuật giữa Chính phủ Việt Nam và Chính phủ "
        "nước Cộng hòa Nhân dân Trung Hoa",
        title_en="Agreement on Scientific and Technical Cooperation between Viet Nam and China",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="CN")),
        signed_on=date(1992, 2, 7),
        signed_place="Bắc Kinh",
        effective_on=date(1992, 2, 7),
        auto_renew=True,
        fields=("4", "P16", "P09"),
        summary="Cơ sở cho Ủy ban hợp tác KH&CN Việt Nam - Trung Quốc và các khóa đào tạo về nông "
        "nghiệp, năng lượng mới.",
    ),
    AgreementFact(
        key="ir-most",
        title_vi="Thỏa thuận về hợp tác công nghệ, nghiên cứu và giáo dục giữa Bộ Khoa học và "
        "Công nghệ Việt Nam và Bộ Khoa học, Nghiên cứu và Công nghệ I-ran",
        title_en="Arrangement on technology, research and education cooperation between the "
        "Ministry of Science and Technology of Viet Nam and the Ministry of Science, Research and "
        "Technology of Iran",
        kind="ministry",
        level="ministry",
        parties=(VN_MOST, _fx(org="msrt-iran")),
        signed_on=date(2014, 4, 8),
        signed_place="Tê-hê-ran",
        effective_on=date(2014, 4, 8),
        expires_on=date(2019, 4, 7),
        fields=("5.3", "P12", "P09"),
        summary="Trao đổi chuyên gia, học bổng và nghiên cứu chung về công nghệ sinh học, năng "
        "lượng và nano; đã hết hiệu lực, chưa gia hạn.",
    ),
    AgreementFact(
        key="kr-vkist-rod",
        title_vi="Biên bản thảo luận giữa Bộ Khoa học và Công nghệ và Cơ quan Hợp tác quốc tế "
        "Hàn Quốc (KOICA) về Dự án thành lập Viện Khoa học và Công nghệ Việt Nam - Hàn Quốc "
        "(V-KIST)",
        title_en="Record of Discussions between MOST and KOICA on the project to establish the "
        "Korea-Vietnam Institute of Science and Technology (V-KIST)",
        kind="other",
        level="ministry",
        parties=(VN_MOST, _fx(org="koica")),
        signed_on=date(2014, 2, 20),
        signed_place="Hà Nội",
        effective_on=date(2014, 2, 20),
        expires_on=date(2021, 12, 31),
        fields=("P01", "P12", "P19", "2.2"),
        summary="Thống nhất phạm vi, nguồn vốn viện trợ không hoàn lại và trách nhiệm hai bên để "
        "xây dựng V-KIST theo mô hình Viện KIST của Hàn Quốc tại Khu Công nghệ cao Hòa Lạc.",
        obligations="Phía Việt Nam bố trí đất, vốn đối ứng và nhân lực; phía Hàn Quốc tài trợ "
        "xây dựng, trang thiết bị, chuyên gia và đào tạo.",
        legal_basis=_L["qd735"],
    ),
    AgreementFact(
        key="be-bipp",
        title_vi="Hiệp định Dự án hỗ trợ xây dựng chính sách đổi mới và phát triển các cơ sở ươm "
        "tạo doanh nghiệp (BIPP) giữa Việt Nam và Vương quốc Bỉ",
        title_en="Specific Agreement on the Business Incubation Policy and Practice project (BIPP) "
        "between Viet Nam and the Kingdom of Belgium",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="BE")),
        signed_on=date(2014, 1, 14),
        signed_place="Hà Nội",
        effective_on=date(2014, 1, 14),
        expires_on=date(2019, 1, 13),
        fields=("P27", "5.2"),
        summary="Tài trợ không hoàn lại của Bỉ để hoàn thiện chính sách đổi mới sáng tạo và phát "
        "triển các cơ sở ươm tạo doanh nghiệp công nghệ.",
        legal_basis=_L["qd735"],
    ),
    AgreementFact(
        key="fi-ipp2",
        title_vi="Hiệp định tài trợ Chương trình đối tác đổi mới sáng tạo Việt Nam - Phần Lan "
        "(IPP) giai đoạn 2",
        title_en="Financing agreement for the Viet Nam - Finland Innovation Partnership Programme "
        "(IPP), phase 2",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(country="FI")),
        signed_on=date(2014, 4, 17),
        signed_place="Hà Nội",
        effective_on=date(2014, 4, 17),
        expires_on=date(2018, 12, 31),
        fields=("P27", "5.2", "5.3"),
        summary="Hỗ trợ hoàn thiện văn bản pháp luật để Luật KH&CN và Chiến lược KH&CN đi vào "
        "cuộc sống, đào tạo về đổi mới sáng tạo và hình thành đội ngũ tư vấn đổi mới công nghệ "
        "cho doanh nghiệp.",
        legal_basis=_L["qd418"],
    ),
    AgreementFact(
        key="wb-first",
        title_vi="Hiệp định tài trợ Dự án Đẩy mạnh đổi mới sáng tạo thông qua nghiên cứu, khoa "
        "học và công nghệ (FIRST)",
        title_en="Financing Agreement for the Fostering Innovation through Research, Science and "
        "Technology project (FIRST)",
        kind="contract",
        level="government",
        parties=(
            _vn(country="VN", signatory="Ngân hàng Nhà nước Việt Nam"),
            _fx(org="world-bank"),
        ),
        signed_on=date(2013, 7, 25),
        signed_place="Hà Nội",
        effective_on=date(2013, 10, 22),
        expires_on=date(2019, 12, 31),
        fields=("P27", "1", "2"),
        summary="Khoản tín dụng IDA 100 triệu USD của Ngân hàng Thế giới (tổng vốn dự án 110 "
        "triệu USD) cho đổi mới chính sách KH&CN, nâng cao hiệu quả các tổ chức nghiên cứu công "
        "lập và hỗ trợ doanh nghiệp đổi mới công nghệ; ngày đóng khoản vay 31/12/2019.",
        verified=True,
        legal_basis=_L["qd418"],
    ),
    AgreementFact(
        key="us-semiconductor-moc",
        title_vi="Bản ghi nhớ hợp tác về phát triển chuỗi cung ứng, nguồn nhân lực và hệ sinh "
        "thái bán dẫn giữa Việt Nam và Hoa Kỳ",
        title_en="Memorandum of Cooperation on semiconductor supply chains, workforce and "
        "ecosystem development between Viet Nam and the United States",
        kind="mou",
        level="ministry",
        parties=(_vn(org="mpi"), _fx(org="us-state-dept")),
        signed_on=date(2023, 9, 10),
        signed_place="Hà Nội",
        effective_on=date(2023, 9, 10),
        expires_on=date(2028, 9, 9),
        fields=("P02", "2.2", "5.3"),
        summary="Đánh giá hệ sinh thái bán dẫn, đào tạo kỹ sư vi mạch và kết nối doanh nghiệp "
        "Việt Nam vào chuỗi cung ứng toàn cầu, ký khi hai nước nâng cấp quan hệ lên Đối tác "
        "chiến lược toàn diện.",
        owner="bo-tai-chinh",
    ),
    AgreementFact(
        key="us-energy-mou",
        title_vi="Bản ghi nhớ về Đối tác hợp tác năng lượng toàn diện Việt Nam - Hoa Kỳ",
        title_en="Memorandum of Understanding on the Viet Nam - US Comprehensive Energy "
        "Partnership",
        kind="mou",
        level="ministry",
        parties=(_vn(org="moit"), _fx(org="us-doe")),
        signed_on=date(2019, 10, 8),
        signed_place="Hà Nội",
        effective_on=date(2019, 10, 8),
        expires_on=date(2024, 10, 7),
        fields=("P09", "P11", "P10"),
        summary="Hợp tác chính sách năng lượng, năng lượng tái tạo, lưu trữ và an ninh năng lượng.",
        owner="bo-cong-thuong",
    ),
    AgreementFact(
        key="se-loi-uppsala",
        title_vi="Ý định thư hợp tác giữa Bộ Khoa học và Công nghệ và Đại học Uppsala",
        title_en="Letter of intent on cooperation between MOST and Uppsala University",
        kind="loi",
        level="ministry",
        parties=(VN_MOST, _fx(org="uppsala-university")),
        signed_on=date(2019, 11, 12),
        signed_place="Xtốc-khôm",
        fields=("P12", "1.6", "3.1"),
        summary="Một trong ba ý định thư ký với đối tác Thụy Điển: nghiên cứu chung và đào tạo "
        "về khoa học sự sống.",
    ),
    AgreementFact(
        key="se-loi-abb",
        title_vi="Ý định thư hợp tác giữa Bộ Khoa học và Công nghệ và Công ty ABB",
        title_en="Letter of intent on cooperation between MOST and ABB",
        kind="loi",
        level="ministry",
        parties=(VN_MOST, _fx(org="abb")),
        signed_on=date(2019, 11, 12),
        signed_place="Xtốc-khôm",
        fields=("P20", "P09", "2.2"),
        summary="Chuyển giao công nghệ tự động hóa, lưới điện thông minh và đào tạo kỹ sư.",
    ),
    AgreementFact(
        key="se-loi-karolinska",
        title_vi="Ý định thư hợp tác giữa Bộ Khoa học và Công nghệ và Học viện Karolinska",
        title_en="Letter of intent on cooperation between MOST and Karolinska Institutet",
        kind="loi",
        level="ministry",
        parties=(VN_MOST, _fx(org="karolinska")),
        signed_on=date(2019, 11, 12),
        signed_place="Xtốc-khôm",
        fields=("3", "P13"),
        summary="Hợp tác nghiên cứu y sinh và y tế thông minh.",
    ),
    AgreementFact(
        key="kisti-mou",
        title_vi="Biên bản ghi nhớ hợp tác về trao đổi dữ liệu công nghệ giữa Cục Thông tin khoa "
        "học và công nghệ quốc gia và Viện Thông tin Khoa học và Công nghệ Hàn Quốc (KISTI)",
        title_en="MoU on technology data exchange between NASATI and KISTI",
        kind="mou",
        level="agency",
        parties=(_vn(org="nasati"), _fx(org="kisti")),
        signed_on=date(2021, 12, 2),
        signed_place="Đại Điền (trực tuyến)",
        effective_on=date(2021, 12, 2),
        expires_on=date(2026, 12, 1),
        fields=("P04", "P03", "1.2"),
        summary="Trao đổi dữ liệu công nghệ có thể chuyển giao và hồ sơ công nghệ, phục vụ kết "
        "nối cung - cầu công nghệ.",
        legal_basis=_L["qd1851"],
        owner="cuc-thong-tin-thong-ke",
    ),
    AgreementFact(
        key="kiat-mou",
        title_vi="Thỏa thuận hợp tác thúc đẩy công nghệ công nghiệp và đổi mới sáng tạo giữa Cục "
        "Ứng dụng và Phát triển công nghệ và Viện Xúc tiến Công nghệ Hàn Quốc (KIAT)",
        title_en="Arrangement on promoting industrial technology and innovation between SATI and "
        "KIAT",
        kind="mou",
        level="agency",
        parties=(_vn(org="sati"), _fx(org="kiat")),
        signed_on=date(2023, 6, 22),
        signed_place="Hà Nội",
        effective_on=date(2023, 6, 22),
        fields=("P22", "P27"),
        summary="Ký nhân chuyến thăm Việt Nam của Tổng thống Hàn Quốc: KIAT hỗ trợ doanh nghiệp "
        "Việt Nam tiếp nhận chuyển giao công nghệ, tư vấn thương mại hóa công nghệ (GCC) và tham "
        "gia mạng lưới Eureka, Horizon Europe.",
        legal_basis=_L["qd1851"],
        owner="cuc-ung-dung-phat-trien-cong-nghe",
        verified=True,
    ),
    AgreementFact(
        key="keit-mou",
        title_vi="Thỏa thuận hợp tác chiến lược về công nghệ công nghiệp tiên tiến giữa Cục Ứng "
        "dụng và Phát triển công nghệ và Viện Đánh giá Công nghệ công nghiệp Hàn Quốc (KEIT)",
        title_en="Strategic cooperation arrangement on advanced industrial technology between "
        "SATI and KEIT",
        kind="mou",
        level="agency",
        parties=(_vn(org="sati"), _fx(org="keit")),
        signed_on=date(2023, 6, 22),
        signed_place="Hà Nội",
        effective_on=date(2023, 6, 22),
        fields=("P22", "P19", "P20"),
        summary="Cùng xác định và quản lý chương trình nghiên cứu chung, đánh giá và lựa chọn dự "
        "án, khảo sát nhu cầu công nghệ và trao đổi chuyên gia.",
        legal_basis=_L["qd1851"],
        owner="cuc-ung-dung-phat-trien-cong-nghe",
        verified=True,
    ),
    AgreementFact(
        key="kr-msit-mou-2025",
        title_vi="Bản ghi nhớ về hợp tác khoa học và công nghệ giữa Bộ Khoa học và Công nghệ Việt "
        "Nam và Bộ Khoa học và CNTT-TT Hàn Quốc",
        title_en="MoU on science and technology cooperation between the Ministry of Science and "
        "Technology of Viet Nam and the Ministry of Science and ICT of Korea",
        kind="mou",
        level="ministry",
        parties=(VN_MOST, _fx(org="msit")),
        signed_on=date(2025, 8, 11),
        signed_place="Xơ-un",
        effective_on=date(2025, 8, 11),
        fields=("P01", "P02", "P08", "P21", "P27"),
        summary="Ký trước sự chứng kiến của Tổng Bí thư Tô Lâm và Tổng thống Lee Jae-myung trong "
        "chuyến thăm cấp Nhà nước tới Hàn Quốc; nâng tầm hợp tác KH&CN, đổi mới sáng tạo giữa hai "
        "nước.",
        verified=True,
    ),
    AgreementFact(
        key="kr-joint-research-2019",
        title_vi="Thỏa thuận hỗ trợ các dự án nghiên cứu chung Việt Nam - Hàn Quốc giai đoạn "
        "2019 - 2020",
        title_en="Arrangement supporting Viet Nam - Korea joint research projects, 2019-2020",
        kind="protocol",
        level="ministry",
        parties=(VN_MOST, _fx(org="msit")),
        signed_on=date(2018, 11, 27),
        signed_place="Xơ-un",
        effective_on=date(2019, 1, 1),
        expires_on=date(2020, 12, 31),
        fields=("1", "2"),
        summary="Hai Bộ trưởng thống nhất đồng tài trợ 5 dự án nghiên cứu chung và xem xét thêm "
        "4 dự án cho Bộ KH&CN Việt Nam và quỹ nghiên cứu của Hàn Quốc.",
        legal_basis="Hiệp định hợp tác KH&CN Việt Nam - Hàn Quốc",
    ),
    AgreementFact(
        key="ipi-mou",
        title_vi="Thỏa thuận hợp tác giữa Cục Ứng dụng và Phát triển công nghệ và Tổ chức Trung "
        "gian Sở hữu trí tuệ Singapore (IPI)",
        title_en="Cooperation arrangement between SATI and IPI Singapore",
        kind="mou",
        level="agency",
        parties=(_vn(org="sati"), _fx(org="ipi-singapore")),
        signed_on=date(2022, 4, 20),
        signed_place="Xin-ga-po",
        effective_on=date(2022, 4, 20),
        expires_on=date(2027, 4, 19),
        fields=("P25", "P27"),
        summary="Trao đổi danh mục công nghệ và tài sản trí tuệ có thể chuyển giao; tổ chức "
        "phiên kết nối trực tuyến cho doanh nghiệp Việt Nam.",
        legal_basis=_L["qd1851"],
        owner="cuc-ung-dung-phat-trien-cong-nghe",
    ),
    AgreementFact(
        key="imag-mou",
        title_vi="Biên bản ghi nhớ hợp tác giữa Cục Ứng dụng và Phát triển công nghệ và Tổ chức "
        "IMAG (Tập đoàn Messe München) về xây dựng phòng thí nghiệm và xúc tiến công nghệ",
        title_en="MoU between SATI and IMAG (Messe München) on laboratory development and "
        "technology promotion",
        kind="mou",
        level="agency",
        parties=(_vn(org="sati"), _fx(org="imag")),
        signed_on=date(2019, 6, 18),
        signed_place="München",
        effective_on=date(2019, 6, 18),
        expires_on=date(2029, 6, 17),
        status="renewed",
        fields=("P26", "P22"),
        summary="Hợp tác xây dựng phòng thí nghiệm cho Việt Nam, đưa doanh nghiệp tham gia hội "
        "chợ công nghệ tại Đức và trao đổi dữ liệu công nghệ.",
        legal_basis=_L["qd1851"],
        owner="cuc-ung-dung-phat-trien-cong-nghe",
    ),
    AgreementFact(
        key="stex-mou",
        title_vi="Biên bản ghi nhớ hợp tác giữa Cục Ứng dụng và Phát triển công nghệ và Sàn giao "
        "dịch công nghệ Thượng Hải",
        title_en="MoU between SATI and the Shanghai Technology Exchange",
        kind="mou",
        level="agency",
        parties=(_vn(org="sati"), _fx(org="shanghai-tech-exchange")),
        signed_on=date(2018, 11, 6),
        signed_place="Thượng Hải",
        effective_on=date(2018, 11, 6),
        expires_on=date(2023, 11, 5),
        fields=("P27", "P22"),
        summary="Trao đổi thông tin về công nghệ có thể chuyển giao và đưa doanh nghiệp tham gia "
        "hội chợ công nghệ tại Thượng Hải; đã hết hạn, đang xem xét ký lại.",
        legal_basis=_L["qd1851"],
        owner="cuc-ung-dung-phat-trien-cong-nghe",
    ),
    AgreementFact(
        key="kr-jc-minutes",
        title_vi="Biên bản Phiên họp Ủy ban hỗn hợp về hợp tác khoa học và công nghệ Việt Nam - "
        "Hàn Quốc",
        title_en="Minutes of the Viet Nam - Korea Joint Committee on Science and Technology "
        "Cooperation",
        kind="minutes",
        level="government",
        parties=(VN_MOST, _fx(org="msit")),
        signed_on=date(2024, 6, 12),
        signed_place="Seoul",
        effective_on=date(2024, 6, 12),
        fields=("P01", "P02", "P08", "P21"),
        summary="Thống nhất ưu tiên giai đoạn tới: trí tuệ nhân tạo, bán dẫn, mạng 5G/6G, phát "
        "triển V-KIST và gọi đề xuất nghiên cứu chung.",
        legal_basis="Hiệp định hợp tác KH&CN Việt Nam - Hàn Quốc",
    ),
    AgreementFact(
        key="ru-committee-1-minutes",
        title_vi="Biên bản Khóa họp thứ nhất Ủy ban hợp tác giáo dục, khoa học và công nghệ Việt "
        "Nam - Liên bang Nga",
        title_en="Minutes of the 1st session of the Viet Nam - Russia Committee on cooperation in "
        "education, science and technology",
        kind="minutes",
        level="government",
        parties=(VN_MOST, _fx(country="RU")),
        signed_on=date(2015, 11, 6),
        signed_place="Mát-xcơ-va",
        effective_on=date(2015, 11, 6),
        fields=("5.3", "P17", "1.6"),
        summary="Hai Thứ trưởng đồng chủ trì ký biên bản và quy chế hoạt động của Ủy ban; chú "
        "trọng Trung tâm Nhiệt đới Việt - Nga, hợp tác tại Viện Dubna và học bổng cho sinh viên "
        "Việt Nam.",
        legal_basis="Hiệp định Việt Nam - Liên bang Nga về đối tác chiến lược trong lĩnh vực "
        "giáo dục, khoa học và công nghệ",
        verified=True,
    ),
    AgreementFact(
        key="ru-committee-4-minutes",
        title_vi="Biên bản Khóa họp lần thứ 4 Ủy ban hợp tác giáo dục, khoa học và công nghệ Việt "
        "Nam - Liên bang Nga",
        title_en="Minutes of the 4th session of the Viet Nam - Russia Committee on cooperation in "
        "education, science and technology",
        kind="minutes",
        level="government",
        parties=(VN_MOST, _fx(org="minobrnauki")),
        signed_on=date(2023, 12, 1),
        signed_place="Hà Nội",
        effective_on=date(2023, 12, 1),
        fields=("5.3", "P17", "P23", "1.2"),
        summary="Rà soát hợp tác KH&CN, giáo dục - đào tạo; phía Nga duy trì khoảng 1.000 suất "
        "học bổng mỗi năm và đề xuất liên minh về kỹ thuật và công nghệ thông tin; chuẩn bị kỷ "
        "niệm 10 năm ký Hiệp định đối tác chiến lược.",
        legal_basis="Hiệp định Việt Nam - Liên bang Nga về đối tác chiến lược trong lĩnh vực "
        "giáo dục, khoa học và công nghệ",
        verified=True,
    ),
    AgreementFact(
        key="by-committee-minutes",
        title_vi="Biên bản Phiên họp Ủy ban hợp tác khoa học và công nghệ Việt Nam - Bê-la-rút",
        title_en="Minutes of the Viet Nam - Belarus Committee on S&T Cooperation",
        kind="minutes",
        level="government",
        parties=(VN_MOST, _fx(org="gknt-belarus")),
        signed_on=date(2023, 10, 30),
        signed_place="Hà Nội",
        effective_on=date(2023, 10, 30),
        fields=("P19", "P20"),
        summary="Phê duyệt danh mục nhiệm vụ nghiên cứu chung mới và kế hoạch thành lập trung "
        "tâm chuyển giao công nghệ Việt Nam - Bê-la-rút.",
    ),
    AgreementFact(
        key="in-jc-minutes",
        title_vi="Biên bản Phiên họp Ủy ban hỗn hợp về hợp tác KH&CN Việt Nam - Ấn Độ",
        title_en="Minutes of the Viet Nam - India Joint Committee on S&T Cooperation",
        kind="minutes",
        level="government",
        parties=(VN_MOST, _fx(org="dst-india")),
        signed_on=date(2022, 8, 23),
        signed_place="Niu Đê-li (trực tuyến)",
        effective_on=date(2022, 8, 23),
        fields=("P18", "P03", "P13"),
        summary="Thống nhất chương trình nghiên cứu chung giai đoạn mới và hợp tác vũ trụ, "
        "làng thông minh.",
    ),
    AgreementFact(
        key="us-jcm7-minutes",
        title_vi="Kết quả Phiên họp lần thứ 7 Ủy ban hỗn hợp về hợp tác khoa học và công nghệ "
        "Việt Nam - Hoa Kỳ",
        title_en="Outcome of the 7th meeting of the Viet Nam - US Joint Committee on Scientific "
        "and Technological Cooperation",
        kind="minutes",
        level="government",
        parties=(VN_MOST, _fx(org="us-state-dept")),
        signed_on=date(2010, 12, 10),
        signed_place="Hà Nội",
        effective_on=date(2010, 12, 10),
        fields=("3", "P15", "P23", "P16"),
        summary="Phiên họp đánh dấu 10 năm ký Hiệp định KH&CN; thống nhất ưu tiên y tế, công "
        "nghệ thông tin, khoa học biển - môi trường - biến đổi khí hậu, nông nghiệp - công nghệ "
        "sinh học, vũ trụ, năng lượng và đo lường.",
        legal_basis="Hiệp định hợp tác KH&CN Việt Nam - Hoa Kỳ ngày 17/11/2000",
        verified=True,
    ),
    AgreementFact(
        key="jp-jc4-minutes",
        title_vi="Biên bản Khóa họp lần thứ 4 Ủy ban hỗn hợp Việt Nam - Nhật Bản về hợp tác khoa "
        "học và công nghệ",
        title_en="Minutes of the 4th session of the Viet Nam - Japan Joint Committee on S&T "
        "Cooperation",
        kind="minutes",
        level="government",
        parties=(VN_MOST, _fx(country="JP")),
        signed_on=date(2015, 3, 29),
        signed_place="Hà Nội",
        effective_on=date(2015, 3, 29),
        fields=("P16", "P15", "P19", "P12"),
        summary="Tập trung vào nông nghiệp công nghệ cao, công nghệ môi trường, ứng phó biến đổi "
        "khí hậu, sử dụng hợp lý tài nguyên nước; đánh giá các dự án SATREPS và e-ASIA JRP.",
        legal_basis="Hiệp định hợp tác KH&CN Việt Nam - Nhật Bản năm 2006",
    ),
    AgreementFact(
        key="hanoi-sba-mou",
        title_vi="Biên bản ghi nhớ hợp tác về đổi mới sáng tạo và khởi nghiệp giữa Sở Khoa học và "
        "Công nghệ Thành phố Hà Nội và Cơ quan Xúc tiến Kinh doanh Seoul",
        title_en="MoU on innovation and start-ups between the Ha Noi Department of Science and "
        "Technology and the Seoul Business Agency",
        kind="mou",
        level="province",
        parties=(_vn(org="so-khcn-ha-noi"), _fx(org="seoul-business-agency")),
        signed_on=date(2023, 11, 14),
        signed_place="Hà Nội",
        effective_on=date(2023, 11, 14),
        expires_on=date(2026, 11, 13),
        fields=("P27", "P03"),
        summary="Kết nối vườn ươm và doanh nghiệp khởi nghiệp của Hà Nội với hệ sinh thái khởi "
        "nghiệp Seoul; tổ chức chương trình tăng tốc chung.",
        owner="ha-noi",
    ),
    AgreementFact(
        key="it-executive",
        title_vi="Chương trình hợp tác thực hiện về khoa học và công nghệ Việt Nam - I-ta-li-a",
        title_en="Executive Programme of Scientific and Technological Cooperation between Viet "
        "Nam and Italy",
        kind="protocol",
        level="government",
        parties=(VN_GOV, _fx(country="IT")),
        signed_on=date(2023, 5, 3),
        signed_place="Rô-ma",
        effective_on=date(2023, 5, 3),
        expires_on=date(2026, 12, 31),
        fields=("6.1", "P19", "P15"),
        summary="Danh mục dự án nghiên cứu chung được hai bên đồng tài trợ trong ba năm, gồm bảo "
        "tồn di sản, vật liệu mới và môi trường.",
    ),
    AgreementFact(
        key="hu-jc-minutes",
        title_vi="Biên bản Phiên họp Ủy ban hỗn hợp KH&CN Việt Nam - Hungary",
        title_en="Minutes of the Viet Nam - Hungary Joint Committee on S&T",
        kind="minutes",
        level="government",
        parties=(VN_MOST, _fx(org="nkfih")),
        signed_on=date(2024, 11, 5),
        signed_place="Bu-đa-pét",
        effective_on=date(2024, 11, 5),
        fields=("1", "2", "4"),
        summary="Phê duyệt kết quả đợt gọi đề xuất nghiên cứu chung và kế hoạch đợt tiếp theo.",
    ),
    AgreementFact(
        key="au-aus4innovation",
        title_vi="Thỏa thuận đối tác Aus4Innovation giữa Bộ Khoa học và Công nghệ và Bộ Ngoại "
        "giao và Thương mại Ô-xtrây-li-a",
        title_en="Aus4Innovation partnership arrangement between MOST and the Australian "
        "Department of Foreign Affairs and Trade",
        kind="ministry",
        level="ministry",
        parties=(VN_MOST, _fx(org="dfat")),
        signed_on=date(2018, 3, 16),
        signed_place="Xít-ni",
        effective_on=date(2018, 3, 16),
        expires_on=date(2027, 3, 31),
        fields=("P27", "P03", "P16"),
        summary="Chương trình đối tác đổi mới sáng tạo: nâng cao năng lực hoạch định chính sách, "
        "tài trợ dự án đổi mới sáng tạo và kết nối hệ sinh thái hai nước.",
    ),
    AgreementFact(
        key="gb-newton",
        title_vi="Bản ghi nhớ về Quỹ Newton Việt Nam giữa Bộ Khoa học và Công nghệ và Hội đồng Anh",
        title_en="Memorandum of Understanding on the Newton Fund Viet Nam between MOST and the "
        "British Council",
        kind="mou",
        level="ministry",
        parties=(VN_MOST, _fx(org="british-council")),
        signed_on=date(2014, 11, 19),
        signed_place="Hà Nội",
        effective_on=date(2014, 11, 19),
        expires_on=date(2021, 3, 31),
        fields=("1", "3", "P15"),
        summary="Đồng tài trợ nghiên cứu chung, học bổng và đổi mới sáng tạo trong khuôn khổ Quỹ "
        "Newton.",
    ),
    AgreementFact(
        key="la-st",
        title_vi="Thỏa thuận hợp tác khoa học và công nghệ giữa Bộ Khoa học và Công nghệ Việt Nam "
        "và Bộ Công nghệ và Truyền thông Lào",
        title_en="Arrangement on S&T cooperation between the Ministries of Viet Nam and Lao PDR",
        kind="ministry",
        level="ministry",
        parties=(VN_MOST, _fx(org="lao-most")),
        signed_on=date(2022, 1, 10),
        signed_place="Viêng Chăn",
        effective_on=date(2022, 1, 10),
        expires_on=date(2027, 1, 9),
        fields=("5.3", "P26", "P25"),
        summary="Đào tạo cán bộ quản lý KH&CN cho Lào, hỗ trợ xây dựng hệ thống tiêu chuẩn đo "
        "lường và sở hữu trí tuệ.",
    ),
    AgreementFact(
        key="cu-biotech",
        title_vi="Bản ghi nhớ hợp tác về công nghệ sinh học giữa Bộ Khoa học và Công nghệ Việt Nam "
        "và Bộ Khoa học, Công nghệ và Môi trường Cu-ba",
        title_en="MoU on biotechnology cooperation between MOST and CITMA (Cuba)",
        kind="mou",
        level="ministry",
        parties=(VN_MOST, _fx(org="citma")),
        signed_on=date(2021, 9, 20),
        signed_place="La Ha-ba-na",
        effective_on=date(2021, 9, 20),
        expires_on=date(2026, 9, 19),
        fields=("P12", "P13", "3.4"),
        summary="Hợp tác nghiên cứu, sản xuất vắc-xin và chế phẩm sinh học.",
    ),
    AgreementFact(
        key="sg-astar",
        title_vi="Bản ghi nhớ hợp tác nghiên cứu giữa Bộ Khoa học và Công nghệ và Cơ quan Khoa "
        "học, Công nghệ và Nghiên cứu Xin-ga-po (A*STAR)",
        title_en="MoU on research cooperation between MOST and A*STAR",
        kind="mou",
        level="ministry",
        parties=(VN_MOST, _fx(org="a-star")),
        signed_on=date(2023, 8, 29),
        signed_place="Xin-ga-po",
        effective_on=date(2023, 8, 29),
        expires_on=date(2028, 8, 28),
        fields=("P01", "P02", "P13"),
        summary="Nghiên cứu chung và trao đổi nhà khoa học về trí tuệ nhân tạo, vi mạch và y sinh.",
    ),
    AgreementFact(
        key="eu-st",
        title_vi="Hiệp định hợp tác khoa học và công nghệ giữa Việt Nam và Liên minh châu Âu",
        title_en="Agreement on Scientific and Technological Cooperation between Viet Nam and the "
        "European Union",
        kind="intergovernmental",
        level="government",
        parties=(VN_GOV, _fx(org="eu")),
        fields=("1", "2", "P15", "P03"),
        summary="Đang đàm phán: khuôn khổ để tổ chức Việt Nam tham gia chương trình Horizon "
        "Europe với tư cách đối tác bình đẳng.",
        status="negotiating",
        public=False,
    ),
    AgreementFact(
        key="ae-ai-mou",
        title_vi="Bản ghi nhớ hợp tác về trí tuệ nhân tạo và chuyển đổi số giữa Bộ Khoa học và "
        "Công nghệ và Đại học Trí tuệ nhân tạo Mohamed bin Zayed",
        title_en="MoU on artificial intelligence and digital transformation between MOST and "
        "MBZUAI",
        kind="mou",
        level="ministry",
        parties=(VN_MOST, _fx(org="mbzuai")),
        fields=("P01", "P03"),
        summary="Dự thảo đang trao đổi: đào tạo nhân lực AI và phát triển mô hình ngôn ngữ tiếng "
        "Việt.",
        status="negotiating",
        public=False,
    ),
    AgreementFact(
        key="kr-vkist-centre",
        title_vi="Bản ghi nhớ giữa V-KIST và Viện Khoa học và Công nghệ Hàn Quốc (KIST) về hợp "
        "tác nghiên cứu và đào tạo",
        title_en="MoU between V-KIST and KIST on research and training cooperation",
        kind="mou",
        level="agency",
        parties=(_vn(org="v-kist"), _fx(org="kist")),
        signed_on=date(2020, 7, 7),
        signed_place="Seoul (trực tuyến)",
        effective_on=date(2020, 7, 7),
        expires_on=date(2025, 7, 6),
        status="terminated",
        fields=("P19", "P12", "P01"),
        summary="Thay thế bởi thỏa thuận khung mới; chấm dứt trước hạn theo thống nhất hai bên.",
    ),
)

# ---------------------------------------------------------------------------------------------
# Projects: ODA and loan projects named in the documents, and protocol research tasks
# ---------------------------------------------------------------------------------------------

PROJECTS: tuple[ProjectFact, ...] = (
    ProjectFact(
        key="v-kist",
        title_vi="Dự án thành lập Viện Khoa học và Công nghệ Việt Nam - Hàn Quốc (V-KIST)",
        title_en="Establishment of the Korea-Vietnam Institute of Science and Technology (V-KIST)",
        kind="oda",
        status="closed",
        lead="most",
        funder="koica",
        agreement="kr-vkist-rod",
        budget=Decimal("35000000"),
        currency="USD",
        planned_start=date(2014, 3, 1),
        planned_end=date(2020, 12, 31),
        actual_start=date(2014, 6, 1),
        participants=(("koica", "funding"), ("kist", "implementing"), ("v-kist", "implementing")),
        fields=("P01", "P12", "P19", "2.2"),
        description="Dự án viện trợ không hoàn lại lớn nhất của KOICA tại Việt Nam: 35 triệu USD "
        "của Hàn Quốc trong tổng vốn khoảng 70 triệu USD, để xây dựng một viện nghiên cứu ứng dụng "
        "theo mô hình KIST tại Khu Công nghệ cao Hòa Lạc (xây dựng, trang thiết bị, chuyên gia, "
        "đào tạo). Thỏa thuận thành lập được ký nhân chuyến thăm của Tổng thống Hàn Quốc tháng "
        "9/2013; Viện thành lập theo Nghị định số 50/NĐ-CP ngày 18/5/2015; khởi công ngày "
        "22/3/2018.",
        outputs="Viện V-KIST được khánh thành đầu năm 2023 với các phòng thí nghiệm công nghệ "
        "sinh học, vật liệu, điện tử - tin học; các nhóm nghiên cứu được đào tạo tại Hàn Quốc.",
        verified=True,
    ),
    ProjectFact(
        key="ipp1",
        title_vi="Chương trình đối tác đổi mới sáng tạo Việt Nam - Phần Lan (IPP) giai đoạn 1",
        title_en="Viet Nam - Finland Innovation Partnership Programme (IPP), phase 1",
        kind="oda",
        status="closed",
        lead="most",
        funder="formin-finland",
        planned_start=date(2009, 10, 1),
        planned_end=date(2013, 12, 31),
        actual_start=date(2009, 10, 1),
        actual_end=date(2013, 12, 31),
        budget=Decimal("8000000"),
        currency="EUR",
        participants=(("formin-finland", "funding"), ("ipp-finland", "implementing")),
        fields=("P27", "5.2"),
        description="Chương trình ODA đầu tiên về đổi mới sáng tạo giữa hai Chính phủ, khoảng 8 "
        "triệu EUR do Phần Lan tài trợ: hoàn thiện văn bản pháp luật về KH&CN, đào tạo cán bộ "
        "quản lý và hỗ trợ doanh nghiệp tiếp cận công nghệ mới.",
        verified=True,
    ),
    ProjectFact(
        key="ipp2",
        title_vi="Chương trình đối tác đổi mới sáng tạo Việt Nam - Phần Lan (IPP) giai đoạn 2",
        title_en="Viet Nam - Finland Innovation Partnership Programme (IPP), phase 2",
        kind="oda",
        status="closed",
        lead="most",
        funder="formin-finland",
        agreement="fi-ipp2",
        budget=Decimal("10000000"),
        currency="EUR",
        planned_start=date(2014, 1, 1),
        planned_end=date(2018, 2, 28),
        actual_start=date(2014, 4, 17),
        actual_end=date(2018, 2, 28),
        participants=(
            ("formin-finland", "funding"),
            ("ipp-finland", "implementing"),
            ("vtt", "implementing"),
        ),
        fields=("P27", "5.2", "5.3"),
        description="Tổng vốn khoảng 11 triệu EUR, trong đó khoảng 90% là ODA của Phần Lan: đào "
        "tạo về đổi mới sáng tạo, hỗ trợ khởi nghiệp công nghệ ở Hà Nội, Đà Nẵng, Thành phố Hồ "
        "Chí Minh, Cần Thơ và hoàn thiện chính sách để Luật KH&CN đi vào cuộc sống. Khởi động "
        "chính thức ngày 12/12/2014.",
        verified=True,
        outputs="Đội ngũ chuyên gia tư vấn đổi mới công nghệ cho doanh nghiệp; các chương trình "
        "ươm tạo khởi nghiệp; góp ý xây dựng văn bản hướng dẫn Luật KH&CN.",
    ),
    ProjectFact(
        key="first",
        title_vi="Dự án Đẩy mạnh đổi mới sáng tạo thông qua nghiên cứu, khoa học và công nghệ "
        "(FIRST)",
        title_en="Fostering Innovation through Research, Science and Technology (FIRST)",
        kind="loan",
        status="closed",
        code="P117394",
        lead="most",
        funder="world-bank",
        agreement="wb-first",
        budget=Decimal("100000000"),
        currency="USD",
        planned_start=date(2014, 1, 1),
        planned_end=date(2019, 12, 31),
        actual_start=date(2013, 11, 7),
        actual_end=date(2019, 12, 31),
        participants=(("world-bank", "funding"), ("fire-first", "implementing")),
        fields=("P27", "1", "2"),
        description="Khoản tín dụng IDA của Ngân hàng Thế giới (100 triệu USD; vốn đối ứng 10 "
        "triệu USD) để thiết kế và thí điểm chính sách KH&CN, nâng cao hiệu quả các tổ chức nghiên "
        "cứu công lập và khuyến khích doanh nghiệp đổi mới công nghệ. Khởi động ngày 7/11/2013, "
        "thực hiện đến 31/12/2019.",
        outputs="Tài trợ các tiểu dự án nâng cấp tổ chức KH&CN và đổi mới công nghệ doanh "
        "nghiệp; kết nối hàng trăm nhà khoa học nước ngoài và người Việt Nam ở nước ngoài; Ngân "
        "hàng Thế giới đánh giá kết quả đạt yêu cầu.",
        verified=True,
    ),
    ProjectFact(
        key="bipp",
        title_vi="Dự án hỗ trợ xây dựng chính sách đổi mới và phát triển các cơ sở ươm tạo doanh "
        "nghiệp (BIPP)",
        title_en="Business Incubation Policy and Practice project (BIPP)",
        kind="oda",
        status="closed",
        lead="most",
        funder="enabel",
        agreement="be-bipp",
        budget=Decimal("4000000"),
        currency="EUR",
        planned_start=date(2014, 1, 1),
        planned_end=date(2018, 12, 31),
        actual_start=date(2014, 3, 1),
        actual_end=date(2018, 12, 31),
        participants=(("enabel", "funding"), ("bipp", "implementing")),
        fields=("P27", "5.2"),
        description="Vốn ban đầu 4,4 triệu EUR, trong đó Bỉ tài trợ 4 triệu EUR (từ năm 2016 "
        "điều chỉnh giảm còn khoảng 2 triệu EUR): hoàn thiện khung chính sách ươm tạo doanh "
        "nghiệp KH&CN, thí điểm hai cơ sở ươm tạo tại Hà Nội và Thành phố Hồ Chí Minh và quỹ hỗ "
        "trợ Innofund.",
        outputs="Lộ trình phát triển cơ sở ươm tạo doanh nghiệp công nghệ giai đoạn 2015 - 2025; "
        "hai cơ sở ươm tạo thí điểm với hàng chục doanh nghiệp được ươm tạo.",
        verified=True,
    ),
    ProjectFact(
        key="vnsc",
        title_vi="Dự án Trung tâm Vũ trụ Việt Nam",
        title_en="Vietnam National Space Center project",
        kind="loan",
        status="finalisation",
        lead="vast",
        funder="jica",
        agreement="jp-st",
        planned_start=date(2011, 11, 1),
        planned_end=date(2023, 12, 31),
        actual_start=date(2012, 3, 1),
        participants=(
            ("jica", "funding"),
            ("jaxa", "implementing"),
            ("trung-tam-vu-tru-vn", "implementing"),
        ),
        fields=("P18", "1.5"),
        description="Vốn vay ODA của Nhật Bản để xây dựng trung tâm vũ trụ tại Hòa Lạc, phát "
        "triển vệ tinh quan sát Trái Đất và đào tạo kỹ sư vũ trụ.",
        owner="trung-tam-vu-tru",
    ),
    ProjectFact(
        key="lao-training",
        title_vi="Xây dựng trung tâm đào tạo cán bộ quản lý khoa học và công nghệ cho Lào",
        title_en="Training centre for S&T managers of Lao PDR",
        kind="bilateral",
        status="closed",
        lead="most",
        funder="most",
        planned_start=date(2013, 1, 1),
        planned_end=date(2016, 12, 31),
        actual_start=date(2013, 6, 1),
        actual_end=date(2017, 6, 30),
        participants=(("lao-most", "implementing"),),
        fields=("5.3",),
        description="Việt Nam hỗ trợ Lào xây dựng cơ sở vật chất và chương trình đào tạo cán bộ "
        "quản lý KH&CN.",
    ),
    ProjectFact(
        key="in-smart-village",
        title_vi="Dự án thí điểm kết nối số và làng thông minh tại tỉnh Ninh Thuận (nay thuộc "
        "tỉnh Khánh Hòa)",
        title_en="Pilot project on digital connectivity and smart villages in Ninh Thuan",
        kind="oda",
        status="implementation",
        agreement="in-st",
        budget=Decimal("10000000"),
        currency="USD",
        planned_start=date(2021, 1, 1),
        planned_end=date(2026, 12, 31),
        actual_start=date(2021, 6, 1),
        fields=("P03", "P05", "P16"),
        description="Ấn Độ hỗ trợ hạ tầng kết nối số, dịch vụ y tế, giáo dục và nông nghiệp "
        "thông minh cho các làng thí điểm.",
        owner="khanh-hoa",
    ),
    ProjectFact(
        key="aus4innovation",
        title_vi="Chương trình Đối tác Đổi mới sáng tạo Việt Nam - Ô-xtrây-li-a (Aus4Innovation)",
        title_en="Aus4Innovation",
        kind="oda",
        status="implementation",
        lead="most",
        funder="dfat",
        agreement="au-aus4innovation",
        planned_start=date(2018, 3, 1),
        planned_end=date(2027, 3, 31),
        actual_start=date(2018, 3, 16),
        participants=(("dfat", "funding"), ("csiro", "implementing")),
        fields=("P27", "P03", "P16"),
        description="Nâng cao năng lực hoạch định chính sách đổi mới sáng tạo, tài trợ thí điểm "
        "dự án đổi mới sáng tạo và kết nối hai hệ sinh thái.",
    ),
    ProjectFact(
        key="lychee-cas",
        title_vi="Hoàn thiện quy trình bảo quản quả vải thiều bằng công nghệ CAS",
        title_en="Preserving lychee with CAS freezing technology",
        kind="bilateral",
        status="closed",
        planned_start=date(2014, 3, 1),
        planned_end=date(2015, 12, 31),
        actual_start=date(2014, 3, 1),
        actual_end=date(2015, 12, 31),
        participants=(("abi-japan", "implementing"),),
        fields=("P16", "4.1"),
        description="Hợp tác với Công ty ABI (Nhật Bản) hoàn thiện quy trình cấp đông CAS cho quả "
        "vải; sản phẩm lần đầu được giới thiệu tại hội chợ nông sản ở Tô-ky-ô.",
        owner="bac-ninh",
    ),
    ProjectFact(
        key="lychee-juran",
        title_vi="Thử nghiệm dây chuyền xử lý quả vải không xông SO2 tại Bắc Giang (nay thuộc "
        "tỉnh Bắc Ninh)",
        title_en="Pilot of a sulphur-free lychee processing line",
        kind="bilateral",
        status="closed",
        planned_start=date(2015, 4, 1),
        planned_end=date(2016, 9, 30),
        actual_start=date(2015, 5, 1),
        actual_end=date(2016, 9, 30),
        participants=(("juran", "implementing"),),
        agreement="il-rd",
        fields=("P16", "4.1", "2.9"),
        description="Hợp tác với Công ty Juran (I-xra-en) đưa dây chuyền xử lý quả vải không dùng "
        "lưu huỳnh đi-ô-xít vào thử nghiệm.",
        owner="bac-ninh",
    ),
    ProjectFact(
        key="iaea-tc-radiation",
        title_vi="Tăng cường hạ tầng pháp lý và năng lực an toàn bức xạ, an ninh hạt nhân",
        title_en="Strengthening the regulatory infrastructure for radiation safety and nuclear "
        "security",
        kind="multilateral",
        status="implementation",
        lead="varans",
        funder="iaea",
        planned_start=date(2024, 1, 1),
        planned_end=date(2027, 12, 31),
        actual_start=date(2024, 1, 1),
        participants=(("iaea", "funding"),),
        fields=("P17",),
        description="Dự án hợp tác kỹ thuật của IAEA: hoàn thiện văn bản pháp luật, đào tạo thanh "
        "tra viên và trang bị thiết bị đo liều.",
        owner="cuc-atbxhn",
    ),
    ProjectFact(
        key="iaea-tc-agri",
        title_vi="Ứng dụng kỹ thuật hạt nhân và đồng vị trong chọn tạo giống cây trồng chống chịu "
        "biến đổi khí hậu",
        title_en="Nuclear and isotopic techniques for climate-resilient crop breeding",
        kind="multilateral",
        status="implementation",
        lead="vinatom",
        funder="iaea",
        planned_start=date(2022, 1, 1),
        planned_end=date(2025, 12, 31),
        actual_start=date(2022, 3, 1),
        participants=(("iaea", "funding"), ("fao", "implementing")),
        fields=("P17", "P16", "4.4"),
        description="Gây đột biến bằng bức xạ và chỉ thị phân tử để chọn tạo giống lúa chịu mặn, "
        "chịu hạn.",
        owner="cuc-nang-luong-nguyen-tu",
    ),
)

# Protocol research tasks (nhiệm vụ nghị định thư): (key, title_vi, title_en, partner country,
# foreign partner key, Vietnamese lead key, fields, start year, years, status)
_PROTOCOL_TASKS: tuple[tuple[str, str, str, str, str, str, tuple[str, ...], int, int, str], ...] = (
    (
        "ndt-ru-nano-water",
        "Nghiên cứu chế tạo vật liệu nano xử lý nước thải công nghiệp dệt nhuộm",
        "Nanomaterials for treating textile dyeing wastewater",
        "RU",
        "msu",
        "vien-khoa-hoc-vat-lieu",
        ("2.10", "2.7", "P19"),
        2021,
        3,
        "closed",
    ),
    (
        "ndt-ru-marine",
        "Đánh giá đa dạng vi sinh vật biển vùng ven bờ Khánh Hòa phục vụ khai "
        "thác hợp chất có hoạt tính sinh học",
        "Marine microbial diversity off Khanh Hoa for bioactive compounds",
        "RU",
        "russian-academy-of-sciences",
        "trung-tam-nhiet-doi-viet-nga",
        ("1.6", "P23", "P12"),
        2023,
        3,
        "implementation",
    ),
    (
        "ndt-kr-ai-imaging",
        "Ứng dụng trí tuệ nhân tạo trong chẩn đoán hình ảnh ung thư phổi",
        "AI for lung cancer image diagnosis",
        "KR",
        "kaist",
        "hust",
        ("P01", "3.2", "P13"),
        2023,
        3,
        "implementation",
    ),
    (
        "ndt-kr-chip",
        "Thiết kế vi mạch tích hợp công suất thấp cho thiết bị IoT",
        "Low-power integrated circuit design for IoT devices",
        "KR",
        "etri",
        "vnu-hanoi",
        ("P02", "P05", "2.2"),
        2024,
        3,
        "implementation",
    ),
    (
        "ndt-jp-rice",
        "Chọn tạo giống lúa chịu mặn thích ứng biến đổi khí hậu vùng Đồng bằng sông Cửu Long",
        "Salt-tolerant rice for the Mekong Delta under climate change",
        "JP",
        "u-tokyo",
        "vien-lua-dbscl",
        ("4.4", "P16", "P15"),
        2020,
        4,
        "closed",
    ),
    (
        "ndt-us-asf-vaccine",
        "Nghiên cứu phát triển vắc-xin nhược độc phòng bệnh dịch tả lợn châu Phi",
        "Live attenuated vaccine against African swine fever",
        "US",
        "usaid",
        "vien-thu-y",
        ("4.3", "P13", "P12"),
        2020,
        3,
        "closed",
    ),
    (
        "ndt-de-hydrogen",
        "Công nghệ sản xuất hydro xanh từ sinh khối phụ phẩm nông nghiệp",
        "Green hydrogen from agricultural biomass residues",
        "DE",
        "kit",
        "vien-nang-luong",
        ("P10", "P09", "2.4"),
        2025,
        3,
        "implementation",
    ),
    (
        "ndt-fr-mekong",
        "Giám sát sạt lở bờ sông và biến động lòng dẫn sông Mê Công bằng ảnh vệ tinh",
        "Satellite monitoring of riverbank erosion on the Mekong",
        "FR",
        "ird",
        "vien-cong-nghe-vu-tru",
        ("P18", "1.5", "P15"),
        2022,
        3,
        "finalisation",
    ),
    (
        "ndt-il-shrimp",
        "Hệ thống IoT giám sát và điều khiển môi trường ao nuôi tôm công nghệ cao",
        "IoT monitoring and control of high-tech shrimp ponds",
        "IL",
        "technion",
        "dai-hoc-can-tho",
        ("P05", "P16", "4.1"),
        2022,
        3,
        "closed",
    ),
    (
        "ndt-cz-3d",
        "Nghiên cứu công nghệ in 3D kim loại cho chế tạo khuôn mẫu",
        "Metal additive manufacturing for moulds and dies",
        "CZ",
        "cvut",
        "vien-co-khi",
        ("P22", "2.3", "P19"),
        2024,
        3,
        "implementation",
    ),
    (
        "ndt-by-battery",
        "Chế tạo vật liệu điện cực cho pin ion liti",
        "Electrode materials for lithium-ion batteries",
        "BY",
        "nas-belarus",
        "vien-khoa-hoc-vat-lieu",
        ("P11", "P19", "2.5"),
        2021,
        3,
        "closed",
    ),
    (
        "ndt-hu-erosion",
        "Ứng dụng kỹ thuật đồng vị phóng xạ đánh giá xói mòn đất vùng đồi núi phía Bắc",
        "Fallout radionuclides to assess soil erosion in the northern uplands",
        "HU",
        "bme",
        "vien-nghien-cuu-hat-nhan",
        ("P17", "1.5", "4.1"),
        2019,
        3,
        "closed",
    ),
    (
        "ndt-in-biofert",
        "Phát triển chế phẩm phân bón vi sinh cho cây cà phê Tây Nguyên",
        "Microbial bio-fertilisers for coffee in the Central Highlands",
        "IN",
        "iit-delhi",
        "vien-cong-nghe-sinh-hoc",
        ("4.4", "P12"),
        2023,
        3,
        "implementation",
    ),
    (
        "ndt-ar-soy",
        "Chọn tạo giống đậu tương năng suất cao bằng chỉ thị phân tử",
        "Marker-assisted breeding of high-yield soybean",
        "AR",
        "conicet",
        "vien-di-truyen-nong-nghiep",
        ("4.4", "P16", "P12"),
        2022,
        3,
        "finalisation",
    ),
)

_COUNTRY_VI = {
    "RU": "Liên bang Nga",
    "KR": "Hàn Quốc",
    "JP": "Nhật Bản",
    "US": "Hoa Kỳ",
    "DE": "Đức",
    "FR": "Pháp",
    "IL": "I-xra-en",
    "CZ": "Séc",
    "BY": "Bê-la-rút",
    "HU": "Hungary",
    "IN": "Ấn Độ",
    "AR": "Ác-hen-ti-na",
}
_COUNTRY_AGREEMENT = {
    "RU": "ru-strategic",
    "KR": "kr-st",
    "JP": "jp-st",
    "US": "us-st",
    "DE": "de-st",
    "FR": "fr-st",
    "IL": "il-rd",
    "CZ": "cz-st",
    "BY": "by-st",
    "HU": "hu-st",
    "IN": "in-st",
    "AR": "ar-st",
}

PROTOCOL_PROJECTS: tuple[ProjectFact, ...] = tuple(
    ProjectFact(
        key=key,
        title_vi=f"Nhiệm vụ nghị định thư Việt Nam - {_COUNTRY_VI[cc]}: {title_vi}",
        title_en=title_en,
        kind="protocol",
        status=status,
        code=f"NĐT.{100 + i}.{cc}/{start % 100:02d}",
        lead=lead,
        funder="most",
        agreement=_COUNTRY_AGREEMENT[cc],
        budget=Decimal(str(3_000_000_000 + 500_000_000 * (i % 7))),
        currency="VND",
        planned_start=date(start, 1, 1),
        planned_end=date(start + years - 1, 12, 31),
        actual_start=date(start, 3, 1),
        actual_end=date(start + years - 1, 12, 31) if status == "closed" else None,
        participants=(("most", "funding"), (partner, "implementing")),
        fields=fields,
        description="Nhiệm vụ hợp tác nghiên cứu chung song phương theo nghị định thư, do ngân "
        "sách nhà nước Việt Nam và đối tác nước ngoài cùng tài trợ (kinh phí phía Việt Nam ghi "
        "theo mức minh họa).",
        outputs="Bài báo quốc tế đồng tác giả, quy trình công nghệ và đào tạo sau đại học."
        if status == "closed"
        else "",
    )
    for i, (key, title_vi, title_en, cc, partner, lead, fields, start, years, status) in enumerate(
        _PROTOCOL_TASKS
    )
)

# ---------------------------------------------------------------------------------------------
# Memberships
# ---------------------------------------------------------------------------------------------

# A membership date on 1 January stands for the year only.
_ILLUSTRATIVE = " Mức phí ghi trong dữ liệu mẫu chỉ mang tính minh họa."

MEMBERSHIPS: tuple[MembershipFact, ...] = (
    MembershipFact(
        "iaea",
        date(1978, 1, 1),
        "cuc-nang-luong-nguyen-tu",
        annual_fee=Decimal("450000"),
        currency="EUR",
        obligations="Thành viên từ năm 1978; thành viên Hội đồng Thống đốc các nhiệm kỳ "
        "1991 - 1993, 1997 - 1999, 2003 - 2005, 2013 - 2015 (Chủ tịch Hội đồng niên khóa "
        "2013 - 2014). Đóng niêm liễm ngân sách thường xuyên và Quỹ hợp tác kỹ thuật; báo cáo "
        "thực hiện các điều ước về an toàn, an ninh hạt nhân và thanh sát." + _ILLUSTRATIVE,
        fields=("P17",),
    ),
    MembershipFact(
        "asean-costi",
        date(1995, 7, 28),
        "htqt",
        obligations="Tham gia các phiên họp COST và các tiểu ban; đóng góp Quỹ KH&CN "
        "ASEAN; thực hiện Kế hoạch hành động ASEAN về KH&CN và đổi mới sáng tạo.",
        fields=("P27", "P15"),
    ),
    MembershipFact(
        "apec",
        date(1998, 11, 14),
        "htqt",
        obligations="Tham gia Nhóm đối tác chính sách về KH&CN và đổi mới sáng tạo "
        "(PPSTI); đề xuất và đồng chủ trì dự án APEC.",
        fields=("P27", "P03"),
    ),
    MembershipFact(
        "copuos",
        None,
        "trung-tam-vu-tru",
        obligations="Tham dự phiên họp thường niên và các tiểu ban khoa học - kỹ thuật, "
        "pháp lý; báo cáo hoạt động vũ trụ quốc gia.",
        fields=("P18",),
    ),
    MembershipFact(
        "wipo",
        date(1976, 7, 2),
        "cuc-so-huu-tri-tue",
        annual_fee=Decimal("11500"),
        currency="CHF",
        obligations="Thực hiện các điều ước về sở hữu trí tuệ đã tham gia (Paris, PCT, "
        "Madrid, Hague); đóng góp theo nhóm đóng góp." + _ILLUSTRATIVE,
        fields=("P25",),
    ),
    MembershipFact(
        "itu",
        None,
        "cuc-vien-thong",
        obligations="Đóng góp theo đơn vị đóng góp đã đăng ký; tham gia các nhóm "
        "nghiên cứu ITU-T, ITU-R, ITU-D.",
        fields=("P08", "2.2"),
    ),
    MembershipFact(
        "iso",
        date(1977, 1, 1),
        "uy-ban-tdc",
        annual_fee=Decimal("90000"),
        currency="CHF",
        obligations="Tham gia các ban kỹ thuật; chấp nhận tiêu chuẩn quốc tế thành "
        "tiêu chuẩn quốc gia (TCVN)." + _ILLUSTRATIVE,
        fields=("P26",),
    ),
    MembershipFact(
        "iec",
        None,
        "uy-ban-tdc",
        obligations="Tham gia các ban kỹ thuật về kỹ thuật điện, điện tử; hài hòa tiêu chuẩn.",
        fields=("P26", "2.2"),
    ),
    MembershipFact(
        "oecd",
        None,
        "htqt",
        status="observer",
        obligations="Tham gia Chương trình khu vực Đông Nam Á và hoạt động của Ủy ban "
        "Chính sách KH&CN (CSTP) với tư cách đối tác.",
        fields=("5.2", "P27"),
    ),
    MembershipFact(
        "unesco",
        None,
        "htqt",
        obligations="Phối hợp các chương trình khoa học liên chính phủ (MAB, IHP, IOC) "
        "với các bộ, ngành liên quan.",
        fields=("1.5", "P15"),
    ),
    MembershipFact(
        "jinr",
        date(1956, 3, 26),
        "cuc-nang-luong-nguyen-tu",
        annual_fee=Decimal("300000"),
        currency="USD",
        obligations="Đóng góp cho ngân sách Viện Dubna; cử nhà khoa học làm việc theo "
        "nhiệm kỳ." + _ILLUSTRATIVE,
        fields=("1.3", "P17"),
    ),
    MembershipFact(
        "apctt",
        None,
        "cuc-ung-dung-phat-trien-cong-nghe",
        obligations="Tham gia Hội đồng quản trị và mạng lưới chuyển giao công nghệ khu vực.",
        fields=("P27",),
    ),
    MembershipFact(
        "icgeb",
        None,
        "htqt",
        obligations="Tham gia các chương trình đào tạo và tài trợ nghiên cứu về công nghệ gen.",
        fields=("P12", "1.6"),
    ),
    MembershipFact(
        "bipm",
        date(2003, 1, 1),
        "uy-ban-tdc",
        status="observer",
        obligations="Thành viên liên kết của Đại hội Cân đo (CGPM); tham gia so sánh "
        "chuẩn đo lường quốc tế.",
        fields=("P26",),
    ),
    MembershipFact(
        "oiml",
        None,
        "uy-ban-tdc",
        status="observer",
        obligations="Thành viên thông tấn; áp dụng khuyến nghị OIML vào quy định đo "
        "lường pháp định.",
        fields=("P26",),
    ),
    MembershipFact(
        "apmp",
        None,
        "uy-ban-tdc",
        obligations="Tham gia các ủy ban kỹ thuật và chương trình so sánh liên phòng.",
        fields=("P26",),
    ),
    MembershipFact(
        "apo",
        date(1996, 1, 1),
        "uy-ban-tdc",
        annual_fee=Decimal("65000"),
        currency="USD",
        obligations="Triển khai phong trào năng suất chất lượng; đóng niêm liễm." + _ILLUSTRATIVE,
        fields=("P26", "5.2"),
    ),
    MembershipFact(
        "tein",
        None,
        "cuc-thong-tin-thong-ke",
        obligations="VinaREN là thành viên mạng TEIN và APAN, bảo đảm kết nối mạng "
        "nghiên cứu - đào tạo tốc độ cao.",
        fields=("1.2", "P04"),
    ),
    MembershipFact(
        "wto",
        date(2007, 1, 11),
        "bo-cong-thuong",
        obligations="Thực hiện Hiệp định TBT: thông báo dự thảo quy chuẩn kỹ thuật, "
        "vận hành điểm hỏi đáp TBT.",
        fields=("P26", "5.5"),
        owner="bo-cong-thuong",
    ),
)

# ---------------------------------------------------------------------------------------------
# The network of S&T representatives abroad (posts at Vietnam's embassies and missions)
# ---------------------------------------------------------------------------------------------

REPRESENTATIVES: tuple[RepresentativeFact, ...] = (
    RepresentativeFact(
        "Đại diện KH&CN tại Đại sứ quán Việt Nam tại Hoa Kỳ (Oa-sinh-tơn)",
        "US",
        ("US", "CA"),
        fields=("P02", "P01", "P17"),
    ),
    RepresentativeFact(
        "Đại diện KH&CN tại Đại sứ quán Việt Nam tại Liên bang Nga (Mát-xcơ-va)",
        "RU",
        ("RU", "BY", "KZ"),
        fields=("P17", "P23"),
    ),
    RepresentativeFact(
        "Đại diện KH&CN tại Đại sứ quán Việt Nam tại Nhật Bản (Tô-ky-ô)",
        "JP",
        ("JP",),
        fields=("P18", "P20", "P16"),
    ),
    RepresentativeFact(
        "Đại diện KH&CN tại Đại sứ quán Việt Nam tại Hàn Quốc (Xơ-un)",
        "KR",
        ("KR",),
        fields=("P01", "P02", "P08"),
    ),
    RepresentativeFact(
        "Đại diện KH&CN tại Đại sứ quán Việt Nam tại Cộng hòa Liên bang Đức (Béc-lin)",
        "DE",
        ("DE", "AT", "CH"),
        fields=("P22", "P09"),
    ),
    RepresentativeFact(
        "Đại diện KH&CN tại Đại sứ quán Việt Nam tại Pháp (Pa-ri)",
        "FR",
        ("FR", "IT", "ES"),
        fields=("P18", "P13"),
    ),
    RepresentativeFact(
        "Đại diện KH&CN tại Đại sứ quán Việt Nam tại Trung Quốc (Bắc Kinh)",
        "CN",
        ("CN", "MN"),
        fields=("P16", "P09"),
    ),
    RepresentativeFact(
        "Đại diện KH&CN tại Phái đoàn Việt Nam bên cạnh Liên minh châu Âu và Đại "
        "sứ quán tại Vương quốc Bỉ (Brúc-xen)",
        "BE",
        ("BE", "NL", "LU"),
        fields=("P15", "P27"),
    ),
    RepresentativeFact(
        "Đại diện KH&CN tại Đại sứ quán Việt Nam tại Ấn Độ (Niu Đê-li)",
        "IN",
        ("IN", "BD", "LK"),
        fields=("P18", "P12"),
    ),
    RepresentativeFact(
        "Đại diện KH&CN tại Đại sứ quán Việt Nam tại Xin-ga-po",
        "SG",
        ("SG", "MY", "ID"),
        fields=("P27", "P02"),
    ),
)

# ---------------------------------------------------------------------------------------------
# Delegations and events
# ---------------------------------------------------------------------------------------------

DELEGATIONS: tuple[DelegationFact, ...] = (
    DelegationFact(
        "Đoàn Sở KH&CN Hà Nội làm việc tại Xơ-un về hợp tác đổi mới sáng tạo",
        "Ha Noi DOST delegation to Seoul on innovation cooperation",
        "out",
        date(2024, 10, 21),
        date(2024, 10, 25),
        ("KR",),
        7,
        purpose="Triển khai biên bản ghi nhớ với Cơ quan Xúc tiến Kinh doanh Seoul; khảo sát các "
        "trung tâm khởi nghiệp.",
        host="Cơ quan Xúc tiến Kinh doanh Seoul",
        agreement="hanoi-sba-mou",
        trip_report="Thống nhất tổ chức chương trình tăng tốc khởi nghiệp chung năm 2025.",
        fields=("P27",),
        owner="ha-noi",
    ),
    DelegationFact(
        "Đoàn Bộ KH&CN làm việc với Bộ Khoa học và CNTT-TT Hàn Quốc và Viện KIST",
        "MOST delegation to the Korean Ministry of Science and ICT and KIST",
        "out",
        date(2024, 6, 10),
        date(2024, 6, 14),
        ("KR",),
        8,
        purpose="Đồng chủ trì Phiên họp Ủy ban hỗn hợp KH&CN; làm việc về giai đoạn phát triển "
        "tiếp theo của V-KIST.",
        host="Bộ Khoa học và CNTT-TT Hàn Quốc",
        agreement="kr-jc-minutes",
        project="v-kist",
        trip_report="Hai bên ký biên bản phiên họp, thống nhất ưu tiên AI, bán dẫn và 6G.",
        fields=("P01", "P02"),
    ),
    DelegationFact(
        "Đoàn Bộ KH&CN làm việc với Bộ Năng lượng Hoa Kỳ về triển khai Hiệp định 123",
        "MOST delegation to the US Department of Energy on implementing the 123 Agreement",
        "out",
        date(2014, 9, 22),
        date(2014, 9, 27),
        ("US",),
        6,
        purpose="Trao đổi thủ tục để Hiệp định 123 có hiệu lực; tìm hiểu kinh nghiệm quản lý an "
        "toàn hạt nhân.",
        host="Bộ Năng lượng Hoa Kỳ",
        agreement="us-123",
        fields=("P17",),
    ),
    DelegationFact(
        "Đoàn Việt Nam dự Khóa họp thường niên lần thứ 69 Đại hội đồng IAEA",
        "Viet Nam delegation to the 69th IAEA General Conference",
        "out",
        date(2025, 9, 15),
        date(2025, 9, 19),
        ("AT",),
        8,
        purpose="Tham dự Đại hội đồng; thảo luận vai trò của khoa học và công nghệ hạt nhân "
        "trong phát triển bền vững, an toàn - an ninh hạt nhân và thanh sát.",
        host="Cơ quan Năng lượng nguyên tử quốc tế (Viên)",
        trip_report="Đoàn do Thứ trưởng Bộ KH&CN Lê Xuân Định dẫn đầu, cùng Phái đoàn thường trực "
        "Việt Nam tại Viên.",
        fields=("P17",),
        owner="cuc-nang-luong-nguyen-tu",
        verified=True,
    ),
    DelegationFact(
        "Đoàn Bộ KH&CN làm việc tại Thụy Điển với Đại học Uppsala, Công ty ABB, Học viện "
        "Karolinska",
        "MOST delegation to Sweden (Uppsala University, ABB, Karolinska)",
        "out",
        date(2019, 11, 10),
        date(2019, 11, 15),
        ("SE",),
        7,
        purpose="Ký ba ý định thư hợp tác và tìm hiểu mô hình đổi mới sáng tạo của Thụy Điển.",
        host="Vinnova",
        agreement="se-loi-uppsala",
        fields=("P12", "P20"),
    ),
    DelegationFact(
        "Đoàn Cục Ứng dụng và Phát triển công nghệ dự hội chợ công nghệ tại München",
        "SATI delegation to technology fairs in Munich",
        "out",
        date(2023, 6, 26),
        date(2023, 7, 1),
        ("DE",),
        10,
        purpose="Kết nối doanh nghiệp với IMAG và các nhà cung cấp công nghệ Đức.",
        host="IMAG - Messe München",
        agreement="imag-mou",
        fields=("P22", "P26"),
        owner="cuc-ung-dung-phat-trien-cong-nghe",
    ),
    DelegationFact(
        "Đoàn KIAT (Hàn Quốc) giới thiệu công nghệ sẵn sàng chuyển giao tại Hà Nội",
        "KIAT delegation presenting transferable Korean technologies in Hanoi",
        "in",
        date(2025, 3, 18),
        date(2025, 3, 20),
        ("KR",),
        9,
        purpose="Hội thảo kết nối cung - cầu công nghệ với doanh nghiệp nhỏ và vừa.",
        host="Cục Ứng dụng và Phát triển công nghệ",
        agreement="kiat-mou",
        fields=("P22", "P27"),
        owner="cuc-ung-dung-phat-trien-cong-nghe",
    ),
    DelegationFact(
        "Đoàn Sở KH&CN Thành phố Hồ Chí Minh khảo sát trung tâm đổi mới sáng tạo tại Xin-ga-po",
        "Ho Chi Minh City S&T delegation to innovation centres in Singapore",
        "out",
        date(2025, 8, 4),
        date(2025, 8, 8),
        ("SG",),
        12,
        purpose="Học tập mô hình trung tâm đổi mới sáng tạo; làm việc với IPI.",
        host="IPI Singapore",
        agreement="ipi-mou",
        fields=("P27", "P25"),
        owner="ho-chi-minh",
    ),
    DelegationFact(
        "Đoàn Bộ KH&CN dự Khóa họp thứ nhất Ủy ban hợp tác giáo dục, KH&CN Việt Nam - Liên bang "
        "Nga",
        "MOST delegation to the 1st session of the Viet Nam - Russia Committee on education, "
        "science and technology",
        "out",
        date(2015, 11, 4),
        date(2015, 11, 7),
        ("RU",),
        7,
        host="Bộ Giáo dục và Khoa học Liên bang Nga",
        agreement="ru-committee-1-minutes",
        fields=("P17", "P23"),
    ),
    DelegationFact(
        "Đoàn Ngân hàng Thế giới đánh giá kết thúc Dự án FIRST",
        "World Bank completion mission for the FIRST project",
        "in",
        date(2020, 11, 9),
        date(2020, 11, 13),
        ("US",),
        5,
        host="Ban Quản lý Dự án FIRST",
        agreement="wb-first",
        project="first",
        fields=("P27",),
    ),
    DelegationFact(
        "Đoàn Tỉnh Khánh Hòa làm việc với đối tác Ấn Độ về dự án làng thông minh",
        "Khanh Hoa delegation to India on the smart village project",
        "out",
        date(2025, 11, 17),
        date(2025, 11, 21),
        ("IN",),
        6,
        project="in-smart-village",
        fields=("P03", "P05"),
        owner="khanh-hoa",
    ),
    DelegationFact(
        "Đoàn Bộ Trưởng Bộ KH&CN dự Hội nghị Bộ trưởng KH&CN ASEAN (AMMSTI)",
        "MOST Minister at the ASEAN Ministerial Meeting on S&T and Innovation",
        "out",
        date(2025, 10, 14),
        date(2025, 10, 17),
        ("MY",),
        6,
        host="ASEAN COST",
        fields=("P27", "P01"),
    ),
    DelegationFact(
        "Đoàn chuyên gia JAXA hỗ trợ vận hành vệ tinh quan sát Trái Đất",
        "JAXA experts supporting Earth-observation satellite operations",
        "in",
        date(2026, 4, 6),
        date(2026, 4, 17),
        ("JP",),
        4,
        project="vnsc",
        fields=("P18",),
        owner="trung-tam-vu-tru",
    ),
    DelegationFact(
        "Đoàn Bộ KH&CN tham dự Tuần lễ công nghệ bán dẫn tại Hoa Kỳ",
        "MOST delegation to a semiconductor week in the United States",
        "out",
        date(2026, 12, 7),
        date(2026, 12, 12),
        ("US",),
        8,
        purpose="Kết nối doanh nghiệp thiết kế vi mạch Việt Nam với các tập đoàn Hoa Kỳ; tìm "
        "kiếm công nghệ lõi và cơ hội M&A công nghệ.",
        agreement="us-semiconductor-moc",
        fields=("P02",),
    ),
)

EVENTS: tuple[EventFact, ...] = (
    EventFact(
        "Ngày hội khởi nghiệp đổi mới sáng tạo Hà Nội 2025",
        "Ha Noi Innovation and Start-up Festival 2025",
        "forum",
        date(2025, 11, 7),
        date(2025, 11, 9),
        "Hà Nội",
        "VN",
        "Sở Khoa học và Công nghệ Thành phố Hà Nội",
        description="Trưng bày sản phẩm khởi nghiệp, kết nối nhà đầu tư và đối tác quốc tế.",
        fields=("P27",),
        owner="ha-noi",
    ),
    EventFact(
        "Techmart Việt Nam 2023",
        "Vietnam Techmart 2023",
        "techmart",
        date(2023, 10, 12),
        date(2023, 10, 15),
        "Hà Nội",
        "VN",
        "Bộ Khoa học và Công nghệ",
        description="Chợ công nghệ và thiết bị quốc gia: trưng bày, kết nối cung - cầu và "
        "ký hợp đồng chuyển giao công nghệ.",
        fields=("P27", "P16"),
    ),
    EventFact(
        "Techmart trực tuyến Việt Nam - Hàn Quốc",
        "Online Vietnam - Korea Techmart",
        "techmart",
        date(2022, 11, 23),
        date(2022, 11, 25),
        "Hà Nội",
        "VN",
        "Cục Ứng dụng và Phát triển công nghệ; KIAT",
        description="Phiên kết nối trực tuyến giữa doanh nghiệp hai nước.",
        fields=("P22", "P27"),
        owner="cuc-ung-dung-phat-trien-cong-nghe",
    ),
    EventFact(
        "Chợ công nghệ - thiết bị và Ngày hội khởi nghiệp đổi mới sáng tạo vùng Đồng bằng "
        "sông Cửu Long",
        "Mekong Delta Techmart and Innovation Start-up Day",
        "techmart",
        date(2020, 12, 4),
        date(2020, 12, 6),
        "Cần Thơ",
        "VN",
        "Bộ Khoa học và Công nghệ; UBND Thành phố Cần Thơ",
        description="Khoảng 400 - 450 đơn vị từ nhiều quốc gia tham gia trưng bày.",
        fields=("P16", "P27"),
        owner="can-tho",
    ),
    EventFact(
        "Hội chợ Công nghệ, thiết bị Bình Thuận",
        "Binh Thuan Technology and Equipment Fair",
        "exhibition",
        date(2020, 8, 20),
        date(2020, 8, 23),
        "Phan Thiết",
        "VN",
        "Sở KH&CN Bình Thuận (nay thuộc tỉnh Lâm Đồng)",
        fields=("P16", "P09"),
        owner="lam-dong",
    ),
    EventFact(
        "Sự kiện trình diễn và kết nối cung - cầu công nghệ tại Gia Lai",
        "Technology demonstration and supply-demand matching in Gia Lai",
        "techmart",
        date(2020, 10, 15),
        date(2020, 10, 17),
        "Pleiku",
        "VN",
        "Sở KH&CN Gia Lai",
        fields=("P16", "P27"),
        owner="gia-lai",
    ),
    EventFact(
        "Tuần lễ số quốc tế Việt Nam 2025",
        "Viet Nam International Digital Week 2025",
        "forum",
        date(2025, 9, 24),
        date(2025, 9, 26),
        "Hà Nội",
        "VN",
        "Bộ Khoa học và Công nghệ",
        fields=("P03", "P01", "P07"),
    ),
    EventFact(
        "Diễn đàn đổi mới sáng tạo Việt Nam - Hàn Quốc về trí tuệ nhân tạo",
        "Viet Nam - Korea Innovation Forum on AI",
        "forum",
        date(2026, 12, 3),
        date(2026, 12, 4),
        "Hà Nội",
        "VN",
        "Bộ KH&CN; MSIT",
        fields=("P01",),
    ),
    EventFact(
        "Hội nghị Bộ trưởng KH&CN ASEAN lần thứ 20",
        "20th ASEAN Ministerial Meeting on Science, Technology and Innovation",
        "conference",
        date(2025, 10, 15),
        date(2025, 10, 16),
        "Kuala Lumpur",
        "MY",
        "ASEAN COST",
        fields=("P27",),
    ),
    EventFact(
        "Phiên họp Nhóm đối tác chính sách APEC về KH&CN và đổi mới sáng tạo (PPSTI)",
        "APEC PPSTI meeting",
        "conference",
        date(2017, 2, 20),
        date(2017, 2, 22),
        "Nha Trang",
        "VN",
        "Bộ Khoa học và Công nghệ",
        description="Năm Việt Nam đăng cai APEC 2017.",
        fields=("P27",),
    ),
    EventFact(
        "Hội thảo quốc tế về ứng dụng bức xạ trong y tế và nông nghiệp",
        "International workshop on radiation applications in health and agriculture",
        "workshop",
        date(2024, 9, 9),
        date(2024, 9, 11),
        "Đà Lạt",
        "VN",
        "Viện Năng lượng nguyên tử Việt Nam; IAEA",
        fields=("P17", "P16"),
        owner="cuc-nang-luong-nguyen-tu",
    ),
    EventFact(
        "Triển lãm Analytica Việt Nam",
        "analytica Vietnam",
        "exhibition",
        date(2025, 4, 2),
        date(2025, 4, 4),
        "Hồ Chí Minh",
        "VN",
        "IMAG - Messe München",
        fields=("P26", "1.4"),
        owner="cuc-ung-dung-phat-trien-cong-nghe",
    ),
    EventFact(
        "Hội chợ Công nghệ Thượng Hải (CSITF)",
        "China (Shanghai) International Technology Fair",
        "exhibition",
        date(2019, 4, 18),
        date(2019, 4, 20),
        "Thượng Hải",
        "CN",
        "Sàn giao dịch công nghệ Thượng Hải",
        fields=("P22",),
    ),
    EventFact(
        "Hội nghị quốc tế về vi mạch bán dẫn Việt Nam 2027",
        "Viet Nam Semiconductor Conference 2027",
        "conference",
        date(2027, 3, 16),
        date(2027, 3, 17),
        "Đà Nẵng",
        "VN",
        "Bộ Khoa học và Công nghệ; UBND Thành phố Đà Nẵng",
        fields=("P02",),
        owner="da-nang",
    ),
)
