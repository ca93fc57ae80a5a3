/**
 * Demo data for the 1 July 2025 reform: the former provinces Gia Lai, Bình Định, Tây Ninh and Long An
 * (with the former districts and communes this file needs), and the new provinces Gia Lai and Tây Ninh
 * (Nghị quyết 202/2025/QH15) with a selection of their new commune-level units.
 *
 * The xã/phường/thị trấn/huyện names below are public administrative unit names taken from the sources in
 * REFORM_SOURCES: the new units and their formedFrom lists from Nghị quyết 1664/NQ-UBTVQH15 (Gia Lai) and
 * 1682/NQ-UBTVQH15 (Tây Ninh) of 16 June 2025 (the khoản number is given beside each unit), the former
 * district of each former commune from the pre-merger GSO list. Only names are real: the demo's people,
 * accounts and everything else attached to these units are generated.
 *
 * Spelling follows the resolution text. Where the pre-merger GSO list spells a name differently it is noted
 * beside the name (e.g. GSO "KBang", "Đăk Đoa", "Chư Đăng Ya", "Ia Drăng", "Ia Mláh", "Đak SMar").
 * District codes are unique across the two former provinces of each new province (formedFrom refers to
 * them without a province), and match the codes used in seed.ts where the district is there too.
 * All strings are NFC. Every unit here is real (real: true); no placeholder ('Xã Mẫu …') units were needed.
 */

/** Where each name came from (URLs and page titles), for the README/closing note. */
export const REFORM_SOURCES: Array<{
  url: string;
  title: string;
  used_for: string;
}> = [
  {
    url: "https://github.com/dvhcvn/20250701/blob/main/input/docs/1664_NQ-UBTVQH15.md",
    title:
      "Nghị quyết số 1664/NQ-UBTVQH15 ngày 16/6/2025 về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Gia Lai năm 2025 (full text, Markdown conversion of the thuvienphapluat.vn copy)",
    used_for:
      "Every new Gia Lai xã/phường name and its formedFrom list (khoản cited per unit); list of the 9 xã not rearranged (khoản 127)",
  },
  {
    url: "https://github.com/dvhcvn/20250701/blob/main/input/docs/1682_NQ-UBTVQH15.md",
    title:
      "Nghị quyết số 1682/NQ-UBTVQH15 ngày 16/6/2025 về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Tây Ninh năm 2025 (full text, Markdown conversion)",
    used_for:
      "Every new Tây Ninh xã/phường name and its formedFrom list (khoản cited per unit); total 96 units (82 xã, 14 phường)",
  },
  {
    url: "https://datafiles.chinhphu.vn/cpp/files/vbpq/2025/6/1664-nq.signed.pdf",
    title:
      "Nghị quyết 1664/NQ-UBTVQH15, signed PDF on the Government e-Portal (address as listed in the tinhthanhvn README; not opened here)",
    used_for:
      "Official original of the Gia Lai resolution, for anyone re-checking",
  },
  {
    url: "https://datafiles.chinhphu.vn/cpp/files/vbpq/2025/6/1682-nq.signed.pdf",
    title:
      "Nghị quyết 1682/NQ-UBTVQH15, signed PDF on the Government e-Portal (address as listed in the tinhthanhvn README; not opened here)",
    used_for:
      "Official original of the Tây Ninh resolution, for anyone re-checking",
  },
  {
    url: "https://github.com/dvhcvn/20250701",
    title:
      "dvhcvn/20250701: Đơn vị hành chính mới tháng 7, 2025 (old→new mapping; old units from daohoangson/dvhcvn sorted.json v20250301, the GSO list)",
    used_for:
      "Which former huyện/thị xã/thành phố each former xã/phường/thị trấn belonged to (output/<province>/<district>/<ward>.json addresses); cross-check of every formedFrom list",
  },
  {
    url: "https://github.com/daohoangson/dvhcvn/blob/v20250301/data/sorted.json",
    title:
      "daohoangson/dvhcvn sorted.json v20250301: pre-July-2025 administrative units (GSO list)",
    used_for:
      "Former district names and membership (via dvhcvn/20250701); GSO spelling variants noted in comments",
  },
  {
    url: "https://www.vietnamplus.vn/135-don-vi-hanh-chinh-cap-xa-cua-tinh-gia-lai-nam-2025-post1045638.vnp",
    title:
      "135 đơn vị hành chính cấp xã của tỉnh Gia Lai năm 2025 (Vietnam+/TTXVN)",
    used_for:
      "Resolution number 1664, signing date, totals (110 xã + 25 phường), the 9 xã not rearranged (incl. Nhơn Châu)",
  },
  {
    url: "https://plo.vn/du-kien-tp-pleiku-con-7-don-vi-hanh-chinh-cap-xa-co-phuong-pleiku-post844860.html",
    title:
      "Dự kiến TP Pleiku còn 7 đơn vị hành chính cấp xã, có phường Pleiku (PLO, 17/4/2025)",
    used_for:
      "Corroboration (proposal stage) of the Pleiku wards: Phường Pleiku incl. Hội Thương, Thống Nhất, Diên Hồng, Hội Phú, An Phú, xã Biển Hồ, xã Gào",
  },
  {
    url: "https://cafef.vn/binh-dinh-du-kien-ten-goi-58-don-vi-hanh-chinh-cap-xa-sau-sap-xep-188250420193814837.chn",
    title:
      "Bình Định dự kiến tên gọi 58 đơn vị hành chính cấp xã sau sắp xếp (CafeF, 20/4/2025)",
    used_for:
      "Corroboration (proposal stage) of the Quy Nhơn and An Nhơn wards",
  },
  {
    url: "https://plo.vn/tru-so-lam-viec-cua-58-xa-phuong-moi-o-binh-dinh-post854868.html",
    title: "Trụ sở làm việc của 58 xã, phường mới ở Bình Định (PLO, 12/6/2025)",
    used_for:
      "Corroboration of the new Bình Định-area units (Phường Quy Nhơn … Xã Nhơn Châu)",
  },
  {
    url: "https://etime.danviet.vn/gia-lai-tam-dung-tiep-nhan-ho-so-truc-tiep-tai-trung-tam-hanh-chinh-cong-do-anh-huong-bao-kalmaegi-d1376327.html",
    title:
      "Gia Lai tạm dừng tiếp nhận hồ sơ trực tiếp tại Trung tâm hành chính công do ảnh hưởng bão Kalmaegi (Dân Việt, 11/2025)",
    used_for:
      "Seat of new Gia Lai: the provincial Public Administration Service Centre is at 127 Hai Bà Trưng, phường Quy Nhơn",
  },
  {
    url: "https://baogialai.com.vn/tu-khoa/phat-trien-ben-vung-tag37103.html",
    title:
      'Báo Gia Lai tag page (item: "tại trụ sở UBND tỉnh Gia Lai (cơ sở 2, phường Pleiku)")',
    used_for:
      "Seat of new Gia Lai: the Pleiku office is only the second site (cơ sở 2)",
  },
  {
    url: "https://danviet.vn/trung-tam-hanh-chinh-tinh-tay-ninh-moi-dat-tai-tan-an-truoc-gio-g-d1343752.html",
    title:
      "Trung tâm hành chính tỉnh Tây Ninh mới đặt tại Tân An trước giờ G (Dân Việt, 7/2025)",
    used_for:
      'Seat of new Tây Ninh: "Trung tâm hành chính tỉnh Tây Ninh đặt tại phường Long An"',
  },
  {
    url: "https://thanhnien.vn/long-an-con-60-xa-phuong-va-lay-y-kien-nhan-dan-sap-nhap-voi-tay-ninh-18525041606055611.htm",
    title:
      "Long An còn 60 xã, phường và lấy ý kiến nhân dân sáp nhập với Tây Ninh (Thanh Niên, 16/4/2025)",
    used_for:
      "Corroboration of Phường Long An / Tân An / Khánh Hậu / Kiến Tường and of Xã Bình Thạnh (Thủ Thừa) being split",
  },
  {
    url: "https://vnexpress.net/cac-tinh-thanh-tat-bat-chinh-trang-truoc-ngay-sap-nhap-4907653.html",
    title:
      "Các tỉnh thành tất bật chỉnh trang trước ngày sáp nhập (VnExpress, 6/2025)",
    used_for:
      "Former TP Tân An → 3 phường (Long An, Tân An, Khánh Hậu); new Tây Ninh has 96 xã, phường",
  },
];

/** code: 2–5 uppercase ASCII letters, unique within its province. */
export interface FormerDistrict {
  code: string;
  name: string;
  communes: string[];
}
export interface FormerProvince {
  code: string;
  name: string;
  validFrom: string;
  districts: FormerDistrict[];
}
export interface NewCommune {
  /** Real name, exactly as in the resolution (with the 'Xã'/'Phường' prefix capitalised). */
  name: string;
  /** District CODE and commune NAME from the FormerProvince lists below. */
  formedFrom: Array<{ district: string; commune: string }>;
  /** true when the name AND its formedFrom come from a cited source; false for placeholders. */
  real: boolean;
}
export interface NewProvince {
  code: string;
  name: string;
  /** The ward where the provincial administrative centre is. */
  seat: string;
  /** Former province codes. */
  formedFrom: string[];
  communes: NewCommune[];
}

export const FORMER_PROVINCES: FormerProvince[] = [
  {
    code: "GL",
    name: "Tỉnh Gia Lai",
    validFrom: "1991-08-12",
    districts: [
      {
        code: "PKU",
        name: "Thành phố Pleiku",
        communes: [
          "Phường Tây Sơn",
          "Phường Hội Thương",
          "Phường Hoa Lư",
          "Phường Phù Đổng",
          "Xã Trà Đa",
          "Phường Trà Bá",
          "Phường Chi Lăng",
          "Phường Hội Phú",
          "Phường Đống Đa",
          "Phường Yên Thế",
          "Phường Thống Nhất",
          "Phường Yên Đỗ",
          "Phường Ia Kring",
          "Phường Diên Hồng",
          "Xã Diên Phú",
          "Phường Thắng Lợi",
          "Xã Chư Á",
          "Xã An Phú",
          "Xã Biển Hồ",
          "Xã Ia Kênh",
          "Xã Gào",
        ],
      },
      {
        code: "AKH",
        name: "Thị xã An Khê",
        communes: [
          "Phường Ngô Mây",
          "Phường Tây Sơn",
          "Phường An Phú",
          "Phường An Phước",
          "Phường An Tân",
          "Xã Thành An",
        ],
      },
      {
        code: "AYP",
        name: "Thị xã Ayun Pa",
        communes: [
          "Phường Đoàn Kết",
          "Phường Sông Bờ",
          "Phường Cheo Reo",
          "Phường Hòa Bình",
        ],
      },
      {
        code: "CPA",
        name: "Huyện Chư Păh",
        communes: [
          "Xã Nghĩa Hưng",
          "Xã Chư Đang Ya", // GSO list: Xã Chư Đăng Ya
        ],
      },
      {
        code: "IGR",
        name: "Huyện Ia Grai",
        communes: [
          "Xã Ia Pếch",
          "Thị trấn Ia Kha",
          "Xã Ia Bă",
          "Xã Ia Grăng",
          "Xã Ia Sao",
          "Xã Ia Yok",
          "Xã Ia Dêr",
          "Xã Ia Hrung",
        ],
      },
      {
        code: "DDO",
        name: "Huyện Đak Đoa", // GSO list: Huyện Đăk Đoa
        communes: [
          "Xã Hà Bầu",
          "Thị trấn Đak Đoa", // GSO list: Thị trấn Đăk Đoa
          "Xã Tân Bình",
          "Xã Glar",
          "Xã Hải Yang",
        ],
      },
      {
        code: "CPR",
        name: "Huyện Chư Prông",
        communes: [
          "Thị trấn Chư Prông",
          "Xã Ia Phìn",
          "Xã Ia Kly",
          "Xã Ia Drang", // GSO list: Xã Ia Drăng
          "Xã Ia O",
          "Xã Ia Me",
          "Xã Ia Boòng",
        ],
      },
      {
        code: "CSE",
        name: "Huyện Chư Sê",
        communes: [
          "Thị trấn Chư Sê",
          "Xã Dun",
          "Xã Ia Blang",
          "Xã Ia Pal",
          "Xã Ia Glai",
        ],
      },
      {
        code: "KBA",
        name: "Huyện Kbang", // GSO list: Huyện KBang
        communes: [
          "Thị trấn Kbang", // GSO list: Thị trấn KBang
          "Xã Lơ Ku",
          "Xã Đak Smar", // GSO list: Xã Đak SMar
        ],
      },
      {
        code: "KCH",
        name: "Huyện Kông Chro",
        communes: ["Thị trấn Kông Chro", "Xã Yang Trung", "Xã Yang Nam"],
      },
      {
        code: "MYA",
        name: "Huyện Mang Yang",
        communes: [
          "Thị trấn Kon Dơng",
          "Xã Đăk Yă",
          "Xã Đak Djrăng", // GSO list: Xã Đăk Djrăng
        ],
      },
      {
        code: "DCO",
        name: "Huyện Đức Cơ",
        communes: [
          "Thị trấn Chư Ty",
          "Xã Ia Kriêng",
          "Xã Ia Lang",
          "Xã Ia Din",
          "Xã Ia Krêl",
        ],
      },
      {
        code: "KPA",
        name: "Huyện Krông Pa",
        communes: [
          "Thị trấn Phú Túc",
          "Xã Phú Cần",
          "Xã Chư Ngọc",
          "Xã Ia Mlah", // GSO list: Xã Ia Mláh
          "Xã Đất Bằng",
        ],
      },
    ],
  },
  {
    code: "BD",
    name: "Tỉnh Bình Định",
    validFrom: "1989-07-01",
    districts: [
      {
        code: "QNH",
        name: "Thành phố Quy Nhơn",
        communes: [
          "Phường Đống Đa",
          "Phường Hải Cảng",
          "Phường Thị Nại",
          "Phường Trần Phú",
          "Phường Nhơn Bình",
          "Xã Nhơn Hội",
          "Xã Nhơn Lý",
          "Xã Nhơn Hải",
          "Phường Bùi Thị Xuân",
          "Xã Phước Mỹ",
          "Phường Ngô Mây",
          "Phường Nguyễn Văn Cừ",
          "Phường Quang Trung",
          "Phường Ghềnh Ráng",
          "Phường Trần Quang Diệu",
          "Phường Nhơn Phú",
          "Xã Nhơn Châu",
        ],
      },
      {
        code: "ANH",
        name: "Thị xã An Nhơn",
        communes: [
          "Phường Bình Định",
          "Xã Nhơn Khánh",
          "Xã Nhơn Phúc",
          "Phường Đập Đá",
          "Xã Nhơn Mỹ",
          "Xã Nhơn Hậu",
          "Xã Nhơn Lộc",
          "Xã Nhơn Tân",
        ],
      },
      {
        code: "HNH",
        name: "Thị xã Hoài Nhơn",
        communes: [
          "Phường Hoài Đức",
          "Phường Bồng Sơn",
          "Phường Tam Quan",
          "Xã Hoài Châu",
        ],
      },
      {
        code: "PCA",
        name: "Huyện Phù Cát",
        communes: ["Thị trấn Ngô Mây", "Xã Cát Trinh", "Xã Cát Tân"],
      },
      {
        code: "TPH",
        name: "Huyện Tuy Phước",
        communes: [
          "Thị trấn Tuy Phước",
          "Thị trấn Diêu Trì",
          "Xã Phước Thuận",
          "Xã Phước Nghĩa",
          "Xã Phước Lộc",
        ],
      },
      {
        code: "TSO",
        name: "Huyện Tây Sơn",
        communes: ["Thị trấn Phú Phong", "Xã Tây Xuân", "Xã Bình Nghi"],
      },
      {
        code: "ALA",
        name: "Huyện An Lão",
        communes: ["Thị trấn An Lão", "Xã An Tân", "Xã An Hưng"],
      },
      {
        code: "VTH",
        name: "Huyện Vĩnh Thạnh",
        communes: ["Thị trấn Vĩnh Thạnh", "Xã Vĩnh Hảo"],
      },
      {
        code: "HAN",
        name: "Huyện Hoài Ân",
        communes: [
          "Thị trấn Tăng Bạt Hổ",
          "Xã Ân Phong",
          "Xã Ân Đức",
          "Xã Ân Tường Đông",
        ],
      },
    ],
  },
  {
    code: "TN",
    name: "Tỉnh Tây Ninh",
    validFrom: "1976-02-20",
    districts: [
      {
        code: "TPTN",
        name: "Thành phố Tây Ninh",
        communes: [
          "Phường 1",
          "Phường 2",
          "Phường 3",
          "Phường IV",
          "Phường Hiệp Ninh",
        ],
      },
      {
        code: "HTH",
        name: "Thị xã Hòa Thành",
        communes: [
          "Phường Long Thành Bắc",
          "Phường Long Hoa",
          "Xã Trường Hòa",
          "Xã Trường Tây",
          "Xã Trường Đông",
          "Phường Long Thành Trung",
          "Xã Long Thành Nam",
          "Phường Hiệp Tân",
        ],
      },
      {
        code: "TBA",
        name: "Thị xã Trảng Bàng",
        communes: [
          "Phường An Hòa",
          "Phường Trảng Bàng",
          "Phường Lộc Hưng",
          "Phường An Tịnh",
          "Phường Gia Bình",
          "Phường Gia Lộc",
          "Xã Đôn Thuận",
          "Xã Hưng Thuận",
        ],
      },
      {
        code: "GDA",
        name: "Huyện Gò Dầu",
        communes: [
          "Thị trấn Gò Dầu",
          "Xã Thanh Phước",
          "Xã Phước Đông",
          "Xã Thạnh Đức",
          "Xã Cẩm Giang",
          "Xã Bàu Đồn",
        ],
      },
      {
        code: "CTH",
        name: "Huyện Châu Thành",
        communes: [
          "Xã Thái Bình", // split: part went to Xã Châu Thành (khoản 78), the rest to Phường Tân Ninh (khoản 87); larger part not stated
          "Xã Thanh Điền",
          "Xã Biên Giới",
          "Xã Hòa Thạnh",
          "Xã Hòa Hội",
          "Xã Thành Long",
          "Xã Ninh Điền",
        ],
      },
      {
        code: "TBI",
        name: "Huyện Tân Biên",
        communes: ["Xã Tân Bình", "Xã Thạnh Tây", "Thị trấn Tân Biên"],
      },
      {
        code: "TCH",
        name: "Huyện Tân Châu",
        communes: ["Xã Tân Hiệp", "Xã Tân Hội", "Xã Tân Đông", "Xã Tân Hà"],
      },
      {
        code: "BCA",
        name: "Huyện Bến Cầu",
        communes: [
          "Thị trấn Bến Cầu",
          "Xã An Thạnh",
          "Xã Tiên Thuận",
          "Xã Lợi Thuận",
          "Xã Long Thuận",
          "Xã Long Giang",
          "Xã Long Khánh",
        ],
      },
      {
        code: "DMC",
        name: "Huyện Dương Minh Châu",
        communes: ["Xã Truông Mít"],
      },
    ],
  },
  {
    code: "LA",
    name: "Tỉnh Long An",
    validFrom: "1976-02-20",
    districts: [
      {
        code: "TAN",
        name: "Thành phố Tân An",
        communes: [
          "Phường 1",
          "Phường 3",
          "Phường 4",
          "Phường 5",
          "Phường 6",
          "Xã Hướng Thọ Phú",
          "Phường 7",
          "Xã Bình Tâm",
          "Xã Nhơn Thạnh Trung",
          "Xã An Vĩnh Ngãi",
          "Phường Tân Khánh",
          "Phường Khánh Hậu",
          "Xã Lợi Bình Nhơn",
        ],
      },
      {
        code: "KTU",
        name: "Thị xã Kiến Tường",
        communes: ["Phường 1", "Phường 2", "Phường 3"],
      },
      {
        code: "BLU",
        name: "Huyện Bến Lức",
        communes: ["Xã An Thạnh", "Xã Thanh Phú", "Thị trấn Bến Lức"],
      },
      {
        code: "CGI",
        name: "Huyện Cần Giuộc",
        communes: ["Thị trấn Cần Giuộc", "Xã Phước Lại", "Xã Long Hậu"],
      },
      {
        code: "CDU",
        name: "Huyện Cần Đước",
        communes: [
          "Thị trấn Cần Đước",
          "Xã Phước Tuy",
          "Xã Tân Ân",
          "Xã Tân Chánh",
          "Xã Long Trạch",
          "Xã Long Khê",
          "Xã Long Hòa",
        ],
      },
      {
        code: "DHO",
        name: "Huyện Đức Hòa",
        communes: [
          "Thị trấn Đức Hòa",
          "Xã Hựu Thạnh",
          "Xã Đức Hòa Hạ",
          "Thị trấn Hậu Nghĩa",
          "Xã Đức Lập Thượng",
          "Xã Tân Mỹ",
          "Xã Tân Phú",
          "Xã Hiệp Hòa",
          "Thị trấn Hiệp Hòa",
        ],
      },
      {
        code: "TTR",
        name: "Huyện Tân Trụ",
        communes: [
          "Thị trấn Tân Trụ",
          "Xã Bình Trinh Đông",
          "Xã Bình Lãng",
          "Xã Bình Tịnh",
        ],
      },
      {
        code: "CTL",
        name: "Huyện Châu Thành",
        communes: [
          "Thị trấn Tầm Vu",
          "Xã Hiệp Thạnh",
          "Xã Phú Ngãi Trị",
          "Xã Phước Tân Hưng",
        ],
      },
      {
        code: "TTH",
        name: "Huyện Tân Thạnh",
        communes: [
          "Xã Tân Bình",
          "Xã Tân Hòa",
          "Xã Kiến Bình",
          "Thị trấn Tân Thạnh",
        ],
      },
      {
        code: "THH",
        name: "Huyện Thạnh Hóa",
        communes: ["Thị trấn Thạnh Hóa", "Xã Thủy Tây", "Xã Thạnh An"],
      },
      {
        code: "MHO",
        name: "Huyện Mộc Hóa",
        communes: ["Xã Tân Thành", "Xã Tân Lập", "Thị trấn Bình Phong Thạnh"],
      },
      {
        code: "THU",
        name: "Huyện Tân Hưng",
        communes: ["Thị trấn Tân Hưng", "Xã Vĩnh Thạnh", "Xã Vĩnh Lợi"],
      },
      {
        code: "DHU",
        name: "Huyện Đức Huệ",
        communes: [
          "Thị trấn Đông Thành",
          "Xã Mỹ Thạnh Tây",
          "Xã Mỹ Thạnh Đông",
          "Xã Mỹ Bình",
        ],
      },
      {
        code: "TTA",
        name: "Huyện Thủ Thừa",
        communes: [
          "Xã Bình Thạnh", // split: part went to Xã Thủ Thừa (khoản 20), the rest to Phường Long An (khoản 84); larger part not stated
          "Xã Mỹ Phú",
          "Xã Mỹ An",
        ],
      },
    ],
  },
];

export const NEW_PROVINCES: NewProvince[] = [
  {
    code: "GL",
    name: "Tỉnh Gia Lai",
    // Seat: the provincial centre is in former Quy Nhơn (NQ 202/2025/QH15); the provincial Public Administration Service Centre is at 127 Hai Bà Trưng, phường Quy Nhơn (Dân Việt), and the Pleiku office is 'cơ sở 2'. No source found that names the ward of the UBND tỉnh building itself.
    seat: "Phường Quy Nhơn",
    formedFrom: ["GL", "BD"],
    // 38 units chosen from 1664/NQ-UBTVQH15 (16/6/2025); khoản number beside each.
    communes: [
      // khoản 102
      {
        name: "Phường Quy Nhơn",
        formedFrom: [
          { district: "QNH", commune: "Phường Đống Đa" },
          { district: "QNH", commune: "Phường Hải Cảng" },
          { district: "QNH", commune: "Phường Thị Nại" },
          { district: "QNH", commune: "Phường Trần Phú" },
        ],
        real: true,
      },
      // khoản 103
      {
        name: "Phường Quy Nhơn Đông",
        formedFrom: [
          { district: "QNH", commune: "Phường Nhơn Bình" },
          { district: "QNH", commune: "Xã Nhơn Hội" },
          { district: "QNH", commune: "Xã Nhơn Lý" },
          { district: "QNH", commune: "Xã Nhơn Hải" },
        ],
        real: true,
      },
      // khoản 104
      {
        name: "Phường Quy Nhơn Tây",
        formedFrom: [
          { district: "QNH", commune: "Phường Bùi Thị Xuân" },
          { district: "QNH", commune: "Xã Phước Mỹ" },
        ],
        real: true,
      },
      // khoản 105
      {
        name: "Phường Quy Nhơn Nam",
        formedFrom: [
          { district: "QNH", commune: "Phường Ngô Mây" },
          { district: "QNH", commune: "Phường Nguyễn Văn Cừ" },
          { district: "QNH", commune: "Phường Quang Trung" },
          { district: "QNH", commune: "Phường Ghềnh Ráng" },
        ],
        real: true,
      },
      // khoản 106
      {
        name: "Phường Quy Nhơn Bắc",
        formedFrom: [
          { district: "QNH", commune: "Phường Trần Quang Diệu" },
          { district: "QNH", commune: "Phường Nhơn Phú" },
        ],
        real: true,
      },
      // khoản 127; one of the 9 xã not rearranged; kept as is
      {
        name: "Xã Nhơn Châu",
        formedFrom: [{ district: "QNH", commune: "Xã Nhơn Châu" }],
        real: true,
      },
      // khoản 107
      {
        name: "Phường Bình Định",
        formedFrom: [
          { district: "ANH", commune: "Phường Bình Định" },
          { district: "ANH", commune: "Xã Nhơn Khánh" },
          { district: "ANH", commune: "Xã Nhơn Phúc" },
        ],
        real: true,
      },
      // khoản 108
      {
        name: "Phường An Nhơn",
        formedFrom: [
          { district: "ANH", commune: "Phường Đập Đá" },
          { district: "ANH", commune: "Xã Nhơn Mỹ" },
          { district: "ANH", commune: "Xã Nhơn Hậu" },
        ],
        real: true,
      },
      // khoản 1
      {
        name: "Xã An Nhơn Tây",
        formedFrom: [
          { district: "ANH", commune: "Xã Nhơn Lộc" },
          { district: "ANH", commune: "Xã Nhơn Tân" },
        ],
        real: true,
      },
      // khoản 112
      {
        name: "Phường Bồng Sơn",
        formedFrom: [
          { district: "HNH", commune: "Phường Hoài Đức" },
          { district: "HNH", commune: "Phường Bồng Sơn" },
        ],
        real: true,
      },
      // khoản 114
      {
        name: "Phường Tam Quan",
        formedFrom: [
          { district: "HNH", commune: "Phường Tam Quan" },
          { district: "HNH", commune: "Xã Hoài Châu" },
        ],
        real: true,
      },
      // khoản 2
      {
        name: "Xã Phù Cát",
        formedFrom: [
          { district: "PCA", commune: "Thị trấn Ngô Mây" },
          { district: "PCA", commune: "Xã Cát Trinh" },
          { district: "PCA", commune: "Xã Cát Tân" },
        ],
        real: true,
      },
      // khoản 16
      {
        name: "Xã Tuy Phước",
        formedFrom: [
          { district: "TPH", commune: "Thị trấn Tuy Phước" },
          { district: "TPH", commune: "Thị trấn Diêu Trì" },
          { district: "TPH", commune: "Xã Phước Thuận" },
          { district: "TPH", commune: "Xã Phước Nghĩa" },
          { district: "TPH", commune: "Xã Phước Lộc" },
        ],
        real: true,
      },
      // khoản 20
      {
        name: "Xã Tây Sơn",
        formedFrom: [
          { district: "TSO", commune: "Thị trấn Phú Phong" },
          { district: "TSO", commune: "Xã Tây Xuân" },
          { district: "TSO", commune: "Xã Bình Nghi" },
        ],
        real: true,
      },
      // khoản 38
      {
        name: "Xã An Lão",
        formedFrom: [
          { district: "ALA", commune: "Thị trấn An Lão" },
          { district: "ALA", commune: "Xã An Tân" },
          { district: "ALA", commune: "Xã An Hưng" },
        ],
        real: true,
      },
      // khoản 33
      {
        name: "Xã Vĩnh Thạnh",
        formedFrom: [
          { district: "VTH", commune: "Thị trấn Vĩnh Thạnh" },
          { district: "VTH", commune: "Xã Vĩnh Hảo" },
        ],
        real: true,
      },
      // khoản 25
      {
        name: "Xã Hoài Ân",
        formedFrom: [
          { district: "HAN", commune: "Thị trấn Tăng Bạt Hổ" },
          { district: "HAN", commune: "Xã Ân Phong" },
          { district: "HAN", commune: "Xã Ân Đức" },
          { district: "HAN", commune: "Xã Ân Tường Đông" },
        ],
        real: true,
      },
      // khoản 119; contains former Phường Hội Thương
      {
        name: "Phường Pleiku",
        formedFrom: [
          { district: "PKU", commune: "Phường Tây Sơn" },
          { district: "PKU", commune: "Phường Hội Thương" },
          { district: "PKU", commune: "Phường Hoa Lư" },
          { district: "PKU", commune: "Phường Phù Đổng" },
          { district: "PKU", commune: "Xã Trà Đa" },
        ],
        real: true,
      },
      // khoản 120
      {
        name: "Phường Hội Phú",
        formedFrom: [
          { district: "PKU", commune: "Phường Trà Bá" },
          { district: "PKU", commune: "Phường Chi Lăng" },
          { district: "PKU", commune: "Phường Hội Phú" },
        ],
        real: true,
      },
      // khoản 121
      {
        name: "Phường Thống Nhất",
        formedFrom: [
          { district: "PKU", commune: "Phường Đống Đa" },
          { district: "PKU", commune: "Phường Yên Thế" },
          { district: "PKU", commune: "Phường Thống Nhất" },
        ],
        real: true,
      },
      // khoản 122
      {
        name: "Phường Diên Hồng",
        formedFrom: [
          { district: "PKU", commune: "Phường Yên Đỗ" },
          { district: "PKU", commune: "Phường Ia Kring" },
          { district: "PKU", commune: "Phường Diên Hồng" },
          { district: "PKU", commune: "Xã Diên Phú" },
        ],
        real: true,
      },
      // khoản 123
      {
        name: "Phường An Phú",
        formedFrom: [
          { district: "PKU", commune: "Phường Thắng Lợi" },
          { district: "PKU", commune: "Xã Chư Á" },
          { district: "PKU", commune: "Xã An Phú" },
        ],
        real: true,
      },
      // khoản 41
      {
        name: "Xã Biển Hồ",
        formedFrom: [
          { district: "CPA", commune: "Xã Nghĩa Hưng" },
          { district: "CPA", commune: "Xã Chư Đang Ya" },
          { district: "DDO", commune: "Xã Hà Bầu" },
          { district: "PKU", commune: "Xã Biển Hồ" },
        ],
        real: true,
      },
      // khoản 42
      {
        name: "Xã Gào",
        formedFrom: [
          { district: "PKU", commune: "Xã Ia Kênh" },
          { district: "IGR", commune: "Xã Ia Pếch" },
          { district: "PKU", commune: "Xã Gào" },
        ],
        real: true,
      },
      // khoản 124
      {
        name: "Phường An Khê",
        formedFrom: [
          { district: "AKH", commune: "Phường Ngô Mây" },
          { district: "AKH", commune: "Phường Tây Sơn" },
          { district: "AKH", commune: "Phường An Phú" },
          { district: "AKH", commune: "Phường An Phước" },
          { district: "AKH", commune: "Phường An Tân" },
          { district: "AKH", commune: "Xã Thành An" },
        ],
        real: true,
      },
      // khoản 126
      {
        name: "Phường Ayun Pa",
        formedFrom: [
          { district: "AYP", commune: "Phường Đoàn Kết" },
          { district: "AYP", commune: "Phường Sông Bờ" },
          { district: "AYP", commune: "Phường Cheo Reo" },
          { district: "AYP", commune: "Phường Hòa Bình" },
        ],
        real: true,
      },
      // khoản 96
      {
        name: "Xã Ia Grai",
        formedFrom: [
          { district: "IGR", commune: "Thị trấn Ia Kha" },
          { district: "IGR", commune: "Xã Ia Bă" },
          { district: "IGR", commune: "Xã Ia Grăng" },
        ],
        real: true,
      },
      // khoản 98
      {
        name: "Xã Ia Hrung",
        formedFrom: [
          { district: "IGR", commune: "Xã Ia Sao" },
          { district: "IGR", commune: "Xã Ia Yok" },
          { district: "IGR", commune: "Xã Ia Dêr" },
          { district: "IGR", commune: "Xã Ia Hrung" },
        ],
        real: true,
      },
      // khoản 47
      {
        name: "Xã Chư Prông",
        formedFrom: [
          { district: "CPR", commune: "Thị trấn Chư Prông" },
          { district: "CPR", commune: "Xã Ia Phìn" },
          { district: "CPR", commune: "Xã Ia Kly" },
          { district: "CPR", commune: "Xã Ia Drang" },
        ],
        real: true,
      },
      // khoản 49
      {
        name: "Xã Ia Boòng",
        formedFrom: [
          { district: "CPR", commune: "Xã Ia O" },
          { district: "CPR", commune: "Xã Ia Me" },
          { district: "CPR", commune: "Xã Ia Boòng" },
        ],
        real: true,
      },
      // khoản 53
      {
        name: "Xã Chư Sê",
        formedFrom: [
          { district: "CSE", commune: "Thị trấn Chư Sê" },
          { district: "CSE", commune: "Xã Dun" },
          { district: "CSE", commune: "Xã Ia Blang" },
          { district: "CSE", commune: "Xã Ia Pal" },
          { district: "CSE", commune: "Xã Ia Glai" },
        ],
        real: true,
      },
      // khoản 86
      {
        name: "Xã Đak Đoa",
        formedFrom: [
          { district: "DDO", commune: "Thị trấn Đak Đoa" },
          { district: "DDO", commune: "Xã Tân Bình" },
          { district: "DDO", commune: "Xã Glar" },
        ],
        real: true,
      },
      // khoản 63
      {
        name: "Xã Kbang",
        formedFrom: [
          { district: "KBA", commune: "Thị trấn Kbang" },
          { district: "KBA", commune: "Xã Lơ Ku" },
          { district: "KBA", commune: "Xã Đak Smar" },
        ],
        real: true,
      },
      // khoản 68
      {
        name: "Xã Kông Chro",
        formedFrom: [
          { district: "KCH", commune: "Thị trấn Kông Chro" },
          { district: "KCH", commune: "Xã Yang Trung" },
          { district: "KCH", commune: "Xã Yang Nam" },
        ],
        real: true,
      },
      // khoản 91
      {
        name: "Xã Mang Yang",
        formedFrom: [
          { district: "MYA", commune: "Thị trấn Kon Dơng" },
          { district: "MYA", commune: "Xã Đăk Yă" },
          { district: "MYA", commune: "Xã Đak Djrăng" },
          { district: "DDO", commune: "Xã Hải Yang" },
        ],
        real: true,
      },
      // khoản 99
      {
        name: "Xã Đức Cơ",
        formedFrom: [
          { district: "DCO", commune: "Thị trấn Chư Ty" },
          { district: "DCO", commune: "Xã Ia Kriêng" },
        ],
        real: true,
      },
      // khoản 101
      {
        name: "Xã Ia Krêl",
        formedFrom: [
          { district: "DCO", commune: "Xã Ia Lang" },
          { district: "DCO", commune: "Xã Ia Din" },
          { district: "DCO", commune: "Xã Ia Krêl" },
        ],
        real: true,
      },
      // khoản 82
      {
        name: "Xã Phú Túc",
        formedFrom: [
          { district: "KPA", commune: "Thị trấn Phú Túc" },
          { district: "KPA", commune: "Xã Phú Cần" },
          { district: "KPA", commune: "Xã Chư Ngọc" },
          { district: "KPA", commune: "Xã Ia Mlah" },
          { district: "KPA", commune: "Xã Đất Bằng" },
        ],
        real: true,
      },
    ],
  },
  {
    code: "TN",
    name: "Tỉnh Tây Ninh",
    // Seat: 'Trung tâm hành chính tỉnh Tây Ninh đặt tại phường Long An' (Dân Việt); former Phường 1, TP Tân An (Thanh Niên).
    seat: "Phường Long An",
    formedFrom: ["TN", "LA"],
    // 37 units chosen from 1682/NQ-UBTVQH15 (16/6/2025); khoản number beside each.
    communes: [
      // khoản 84; SPLIT: Xã Bình Thạnh (Huyện Thủ Thừa) was divided: part to Xã Thủ Thừa (khoản 20), the remainder to Phường Long An (khoản 84). The resolution does not say which part is larger; it is listed here only because Xã Thủ Thừa is not in this demo set.
      {
        name: "Phường Long An",
        formedFrom: [
          { district: "TAN", commune: "Phường 1" },
          { district: "TAN", commune: "Phường 3" },
          { district: "TAN", commune: "Phường 4" },
          { district: "TAN", commune: "Phường 5" },
          { district: "TAN", commune: "Phường 6" },
          { district: "TAN", commune: "Xã Hướng Thọ Phú" },
          { district: "TTA", commune: "Xã Bình Thạnh" },
        ],
        real: true,
      },
      // khoản 85
      {
        name: "Phường Tân An",
        formedFrom: [
          { district: "TAN", commune: "Phường 7" },
          { district: "TAN", commune: "Xã Bình Tâm" },
          { district: "TAN", commune: "Xã Nhơn Thạnh Trung" },
          { district: "TAN", commune: "Xã An Vĩnh Ngãi" },
        ],
        real: true,
      },
      // khoản 86
      {
        name: "Phường Khánh Hậu",
        formedFrom: [
          { district: "TAN", commune: "Phường Tân Khánh" },
          { district: "TAN", commune: "Phường Khánh Hậu" },
          { district: "TAN", commune: "Xã Lợi Bình Nhơn" },
        ],
        real: true,
      },
      // khoản 83
      {
        name: "Phường Kiến Tường",
        formedFrom: [
          { district: "KTU", commune: "Phường 1" },
          { district: "KTU", commune: "Phường 2" },
          { district: "KTU", commune: "Phường 3" },
        ],
        real: true,
      },
      // khoản 37
      {
        name: "Xã Bến Lức",
        formedFrom: [
          { district: "BLU", commune: "Xã An Thạnh" },
          { district: "BLU", commune: "Xã Thanh Phú" },
          { district: "BLU", commune: "Thị trấn Bến Lức" },
        ],
        real: true,
      },
      // khoản 47
      {
        name: "Xã Cần Giuộc",
        formedFrom: [
          { district: "CGI", commune: "Thị trấn Cần Giuộc" },
          { district: "CGI", commune: "Xã Phước Lại" },
          { district: "CGI", commune: "Xã Long Hậu" },
        ],
        real: true,
      },
      // khoản 43
      {
        name: "Xã Cần Đước",
        formedFrom: [
          { district: "CDU", commune: "Thị trấn Cần Đước" },
          { district: "CDU", commune: "Xã Phước Tuy" },
          { district: "CDU", commune: "Xã Tân Ân" },
          { district: "CDU", commune: "Xã Tân Chánh" },
        ],
        real: true,
      },
      // khoản 40
      {
        name: "Xã Rạch Kiến",
        formedFrom: [
          { district: "CDU", commune: "Xã Long Trạch" },
          { district: "CDU", commune: "Xã Long Khê" },
          { district: "CDU", commune: "Xã Long Hòa" },
        ],
        real: true,
      },
      // khoản 33
      {
        name: "Xã Đức Hòa",
        formedFrom: [
          { district: "DHO", commune: "Thị trấn Đức Hòa" },
          { district: "DHO", commune: "Xã Hựu Thạnh" },
          { district: "DHO", commune: "Xã Đức Hòa Hạ" },
        ],
        real: true,
      },
      // khoản 29
      {
        name: "Xã Hậu Nghĩa",
        formedFrom: [
          { district: "DHO", commune: "Thị trấn Hậu Nghĩa" },
          { district: "DHO", commune: "Xã Đức Lập Thượng" },
          { district: "DHO", commune: "Xã Tân Mỹ" },
        ],
        real: true,
      },
      // khoản 28
      {
        name: "Xã Hiệp Hòa",
        formedFrom: [
          { district: "DHO", commune: "Xã Tân Phú" },
          { district: "DHO", commune: "Xã Hiệp Hòa" },
          { district: "DHO", commune: "Thị trấn Hiệp Hòa" },
        ],
        real: true,
      },
      // khoản 51
      {
        name: "Xã Tân Trụ",
        formedFrom: [
          { district: "TTR", commune: "Thị trấn Tân Trụ" },
          { district: "TTR", commune: "Xã Bình Trinh Đông" },
          { district: "TTR", commune: "Xã Bình Lãng" },
          { district: "TTR", commune: "Xã Bình Tịnh" },
        ],
        real: true,
      },
      // khoản 55
      {
        name: "Xã Tầm Vu",
        formedFrom: [
          { district: "CTL", commune: "Thị trấn Tầm Vu" },
          { district: "CTL", commune: "Xã Hiệp Thạnh" },
          { district: "CTL", commune: "Xã Phú Ngãi Trị" },
          { district: "CTL", commune: "Xã Phước Tân Hưng" },
        ],
        real: true,
      },
      // khoản 15
      {
        name: "Xã Tân Thạnh",
        formedFrom: [
          { district: "TTH", commune: "Xã Tân Bình" },
          { district: "TTH", commune: "Xã Tân Hòa" },
          { district: "TTH", commune: "Xã Kiến Bình" },
          { district: "TTH", commune: "Thị trấn Tân Thạnh" },
        ],
        real: true,
      },
      // khoản 18
      {
        name: "Xã Thạnh Hóa",
        formedFrom: [
          { district: "THH", commune: "Thị trấn Thạnh Hóa" },
          { district: "THH", commune: "Xã Thủy Tây" },
          { district: "THH", commune: "Xã Thạnh An" },
        ],
        real: true,
      },
      // khoản 11
      {
        name: "Xã Mộc Hóa",
        formedFrom: [
          { district: "MHO", commune: "Xã Tân Thành" },
          { district: "MHO", commune: "Xã Tân Lập" },
          { district: "MHO", commune: "Thị trấn Bình Phong Thạnh" },
        ],
        real: true,
      },
      // khoản 3; former Xã Vĩnh Thạnh (Huyện Tân Hưng) goes to Xã Tân Hưng per the resolution text; the dvhcvn/20250701 mapping puts it under the new Xã Vĩnh Thạnh (khoản 2), which the resolution does not say
      {
        name: "Xã Tân Hưng",
        formedFrom: [
          { district: "THU", commune: "Thị trấn Tân Hưng" },
          { district: "THU", commune: "Xã Vĩnh Thạnh" },
          { district: "THU", commune: "Xã Vĩnh Lợi" },
        ],
        real: true,
      },
      // khoản 25
      {
        name: "Xã Đông Thành",
        formedFrom: [
          { district: "DHU", commune: "Thị trấn Đông Thành" },
          { district: "DHU", commune: "Xã Mỹ Thạnh Tây" },
          { district: "DHU", commune: "Xã Mỹ Thạnh Đông" },
          { district: "DHU", commune: "Xã Mỹ Bình" },
        ],
        real: true,
      },
      // khoản 21
      {
        name: "Xã Mỹ An",
        formedFrom: [
          { district: "TTA", commune: "Xã Mỹ Phú" },
          { district: "TTA", commune: "Xã Mỹ An" },
        ],
        real: true,
      },
      // khoản 87; SPLIT: Xã Thái Bình (Huyện Châu Thành) was divided: part to Xã Châu Thành (khoản 78), the remainder to Phường Tân Ninh (khoản 87). The resolution does not say which part is larger; it is listed here only because Xã Châu Thành is not in this demo set.
      {
        name: "Phường Tân Ninh",
        formedFrom: [
          { district: "TPTN", commune: "Phường 1" },
          { district: "TPTN", commune: "Phường 2" },
          { district: "TPTN", commune: "Phường 3" },
          { district: "TPTN", commune: "Phường IV" },
          { district: "TPTN", commune: "Phường Hiệp Ninh" },
          { district: "CTH", commune: "Xã Thái Bình" },
        ],
        real: true,
      },
      // khoản 90
      {
        name: "Phường Long Hoa",
        formedFrom: [
          { district: "HTH", commune: "Phường Long Thành Bắc" },
          { district: "HTH", commune: "Phường Long Hoa" },
          { district: "HTH", commune: "Xã Trường Hòa" },
          { district: "HTH", commune: "Xã Trường Tây" },
          { district: "HTH", commune: "Xã Trường Đông" },
        ],
        real: true,
      },
      // khoản 91
      {
        name: "Phường Hòa Thành",
        formedFrom: [
          { district: "HTH", commune: "Phường Long Thành Trung" },
          { district: "HTH", commune: "Xã Long Thành Nam" },
        ],
        real: true,
      },
      // khoản 92
      {
        name: "Phường Thanh Điền",
        formedFrom: [
          { district: "HTH", commune: "Phường Hiệp Tân" },
          { district: "CTH", commune: "Xã Thanh Điền" },
        ],
        real: true,
      },
      // khoản 93
      {
        name: "Phường Trảng Bàng",
        formedFrom: [
          { district: "TBA", commune: "Phường An Hòa" },
          { district: "TBA", commune: "Phường Trảng Bàng" },
        ],
        real: true,
      },
      // khoản 94
      {
        name: "Phường An Tịnh",
        formedFrom: [
          { district: "TBA", commune: "Phường Lộc Hưng" },
          { district: "TBA", commune: "Phường An Tịnh" },
        ],
        real: true,
      },
      // khoản 95
      {
        name: "Phường Gò Dầu",
        formedFrom: [
          { district: "TBA", commune: "Phường Gia Bình" },
          { district: "GDA", commune: "Thị trấn Gò Dầu" },
          { district: "GDA", commune: "Xã Thanh Phước" },
        ],
        real: true,
      },
      // khoản 96
      {
        name: "Phường Gia Lộc",
        formedFrom: [
          { district: "GDA", commune: "Xã Phước Đông" },
          { district: "TBA", commune: "Phường Gia Lộc" },
        ],
        real: true,
      },
      // khoản 58
      {
        name: "Xã Hưng Thuận",
        formedFrom: [
          { district: "TBA", commune: "Xã Đôn Thuận" },
          { district: "TBA", commune: "Xã Hưng Thuận" },
        ],
        real: true,
      },
      // khoản 59
      {
        name: "Xã Thạnh Đức",
        formedFrom: [
          { district: "GDA", commune: "Xã Thạnh Đức" },
          { district: "GDA", commune: "Xã Cẩm Giang" },
        ],
        real: true,
      },
      // khoản 61
      {
        name: "Xã Truông Mít",
        formedFrom: [
          { district: "GDA", commune: "Xã Bàu Đồn" },
          { district: "DMC", commune: "Xã Truông Mít" },
        ],
        real: true,
      },
      // khoản 72
      {
        name: "Xã Tân Biên",
        formedFrom: [
          { district: "TBI", commune: "Xã Tân Bình" },
          { district: "TBI", commune: "Xã Thạnh Tây" },
          { district: "TBI", commune: "Thị trấn Tân Biên" },
        ],
        real: true,
      },
      // khoản 68
      {
        name: "Xã Tân Hội",
        formedFrom: [
          { district: "TCH", commune: "Xã Tân Hiệp" },
          { district: "TCH", commune: "Xã Tân Hội" },
        ],
        real: true,
      },
      // khoản 65
      {
        name: "Xã Tân Đông",
        formedFrom: [
          { district: "TCH", commune: "Xã Tân Đông" },
          { district: "TCH", commune: "Xã Tân Hà" },
        ],
        real: true,
      },
      // khoản 76
      {
        name: "Xã Hòa Hội",
        formedFrom: [
          { district: "CTH", commune: "Xã Biên Giới" },
          { district: "CTH", commune: "Xã Hòa Thạnh" },
          { district: "CTH", commune: "Xã Hòa Hội" },
        ],
        real: true,
      },
      // khoản 77
      {
        name: "Xã Ninh Điền",
        formedFrom: [
          { district: "CTH", commune: "Xã Thành Long" },
          { district: "CTH", commune: "Xã Ninh Điền" },
        ],
        real: true,
      },
      // khoản 82
      {
        name: "Xã Bến Cầu",
        formedFrom: [
          { district: "BCA", commune: "Thị trấn Bến Cầu" },
          { district: "BCA", commune: "Xã An Thạnh" },
          { district: "BCA", commune: "Xã Tiên Thuận" },
          { district: "BCA", commune: "Xã Lợi Thuận" },
        ],
        real: true,
      },
      // khoản 81
      {
        name: "Xã Long Thuận",
        formedFrom: [
          { district: "BCA", commune: "Xã Long Thuận" },
          { district: "BCA", commune: "Xã Long Giang" },
          { district: "BCA", commune: "Xã Long Khánh" },
        ],
        real: true,
      },
    ],
  },
];
