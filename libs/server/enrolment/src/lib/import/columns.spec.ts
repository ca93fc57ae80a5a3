import { NetworkCategory } from '@dxtrain/shared/contracts';
import { HeaderError, mapHeaders, parseCategory, validateRows } from './columns';

const table = (headers: string[], rows: string[][]) => ({ headers, rows: rows.map((cells, i) => ({ rowNumber: i + 2, cells })) });

describe('enrolment file columns', () => {
  it('maps Vietnamese and English headers, with or without diacritics, in any order', () => {
    expect(mapHeaders(['Họ và tên', 'MÃ CÁN BỘ', 'ma don vi', 'Email'], false)).toEqual({ fullName: 0, staffCode: 1, unitCode: 2, email: 3 });
    expect(mapHeaders(['Staff code', 'Full name', 'Unit code', 'Course code'], true)).toEqual({ staffCode: 0, fullName: 1, unitCode: 2, courseCode: 3 });
  });

  it('names the missing required columns, and says when there is no header at all', () => {
    expect(() => mapHeaders(['Mã cán bộ', 'Họ và tên'], false)).toThrow(/Thiếu cột bắt buộc: "Mã đơn vị"/);
    expect(() => mapHeaders(['Mã cán bộ', 'Họ và tên', 'Mã đơn vị'], true)).toThrow(/"Mã khoá học"/);
    expect(() => mapHeaders(['a', 'b'], false)).toThrow(HeaderError);
    expect(() => mapHeaders(['a', 'b'], false)).toThrow(/Không nhận ra dòng tiêu đề/);
  });

  it('reads network categories by value or Vietnamese label, ignoring case and diacritics', () => {
    expect(parseCategory('unit_focal_point')).toBe(NetworkCategory.UnitFocalPoint);
    expect(parseCategory('dau moi cds cua don vi')).toBe(NetworkCategory.UnitFocalPoint);
    expect(parseCategory('Thành viên Tổ công nghệ số cộng đồng')).toBe(NetworkCategory.CommunityDigitalTeam);
    expect(parseCategory('khác')).toBeUndefined();
  });

  it('cleans good rows (NFC, whitespace, lower-case e-mail) and reports each bad row once, with its column', () => {
    const headers = ['Mã cán bộ', 'Họ và tên', 'Email', 'Mã đơn vị', 'Nhóm mạng lưới'];
    const decomposed = 'Nguye\u0302\u0303n  Thi\u0323 Hu\u031bo\u031bng';
    const { rows, errors } = validateRows(
      table(headers, [
        ['A1', decomposed, 'Huong@Example.GOV.vn', 'X1', ''],
        ['', 'Không mã', '', 'X1', ''],
        ['A2', '=HYPERLINK("http://x","y")', '', 'X1', ''],
        ['A3', 'Tên', 'not-email', 'X1', ''],
        ['A4', 'Tên', '', 'X1', 'nhóm lạ'],
        ['A1', 'Trùng', '', 'X1', ''],
        ['A5', 'Khác', 'huong@example.gov.vn', 'X1', ''],
        ['A6', 'x'.repeat(201), '', 'X1', ''],
        ['A7', 'Tên', '', 'mã đơn vị có dấu cách', ''],
      ]),
      mapHeaders(headers, false),
      false,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ rowNumber: 2, staffCode: 'A1', fullName: 'Nguyễn Thị Hương', email: 'huong@example.gov.vn', networkCategory: null });
    expect(rows[0].fullName).toBe(rows[0].fullName.normalize('NFC'));
    expect(rows[0].searchText).toBe('nguyen thi huong a1 huong@example.gov.vn');
    expect(errors.map((e) => [e.rowNumber, e.column])).toEqual([
      [3, 'Mã cán bộ'],
      [4, 'Họ và tên'],
      [5, 'Email'],
      [6, 'Nhóm mạng lưới'],
      [7, 'Mã cán bộ'],
      [8, 'Email'],
      [9, 'Họ và tên'],
      [10, 'Mã đơn vị'],
    ]);
    expect(errors[4].message).toContain('Trùng với dòng 2');
    expect(errors[5].message).toContain('A1');
  });
});
