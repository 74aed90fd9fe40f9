// Strings of the course media library (lesson editor) and its upload errors.
// lesson-media.en.ts mirrors the keys.
export const lessonMediaVi = {
  heading: "Tệp của khóa học: ảnh, video, âm thanh, tài liệu",
  help: "Tải lên ảnh PNG, JPEG, WebP hoặc GIF (tối đa {{image}} MB), video MP4 hoặc WebM ({{video}} MB), âm thanh MP3 ({{audio}} MB), phụ đề WebVTT .vtt ({{captions}} MB) hoặc tài liệu PDF ({{pdf}} MB). Sau khi tải lên, dán đoạn mã hiện ra vào bài giảng và thay dấu ... bằng nội dung phù hợp.",
  file: "Chọn tệp",
  upload: "Tải tệp lên",
  uploaded: "Đã tải lên tệp {{name}}.",
  paste: "Dán đoạn mã này vào bài giảng, rồi thay dấu ... (mô tả ảnh, tên video, tên tài liệu, tệp phụ đề):",
  empty: "Khóa học chưa có tệp nào.",
  kinds: { image: "Ảnh", video: "Video", audio: "Âm thanh", captions: "Phụ đề", pdf: "PDF" },
  kindNames: { image: "ảnh", video: "video (MP4 hoặc WebM)", audio: "âm thanh (MP3)", captions: "phụ đề WebVTT (.vtt)", pdf: "tài liệu PDF" },
  check: {
    missing: "Không có tệp {{path}} trong thư viện của khóa học. Hãy tải lên một tệp {{kind}} rồi dán đúng đường dẫn hệ thống đưa ra.",
    wrongKind: "Tệp {{path}} không phải {{expected}}. Hãy chọn đúng loại tệp cho thành phần này.",
  },
  content: {
    unsupported: "tệp không phải ảnh, video MP4/WebM, âm thanh MP3, phụ đề WebVTT hay tài liệu PDF hợp lệ",
    tooLarge: "tệp quá lớn (tối đa {{mb}} MB cho loại tệp này)",
    missing: "không có tệp {{path}}: tệp của khóa học phải nằm trong thư mục media/ và được gọi là /media/{{slug}}/tên-tệp",
    wrongKind: "tệp {{path}} không phải {{expected}}",
  },
  errors: {
    unsupported:
      "Tệp này không phải ảnh (PNG, JPEG, WebP, GIF), video (MP4, WebM), âm thanh (MP3), phụ đề WebVTT (.vtt, bắt đầu bằng WEBVTT) hay tài liệu PDF hợp lệ. Hệ thống kiểm tra nội dung tệp, không chỉ tên đuôi.",
    overLimit: "Tệp lớn hơn {{mb}} MB, mức lớn nhất cho mọi loại tệp.",
    tooLarge: {
      video: "Video lớn hơn {{mb}} MB. Hãy cắt thành nhiều đoạn ngắn hoặc giảm độ phân giải (720p là đủ) rồi tải lên lại.",
      audio: "Tệp âm thanh lớn hơn {{mb}} MB. Hãy chia thành nhiều tệp ngắn hoặc giảm chất lượng (128 kbit/s là đủ).",
      captions: "Tệp phụ đề lớn hơn {{mb}} MB.",
      pdf: "Tài liệu PDF lớn hơn {{mb}} MB. Hãy nén tệp (giảm độ phân giải ảnh quét) rồi tải lên lại.",
    },
  },
};
