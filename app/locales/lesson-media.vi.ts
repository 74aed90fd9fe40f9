// Strings of the course media library (lesson editor) and its upload errors.
// lesson-media.en.ts mirrors the keys.
export const lessonMediaVi = {
  heading: "Tệp của khóa học: ảnh, video, âm thanh, tài liệu",
  help: "Tải lên ảnh PNG, JPEG, WebP hoặc GIF (tối đa {{image, number}} MB), video MP4 hoặc WebM ({{video, number}} MB), âm thanh MP3 ({{audio, number}} MB), phụ đề WebVTT .vtt ({{captions, number}} MB) hoặc tài liệu PDF ({{pdf, number}} MB). Sau khi tải lên, dán đoạn mã hiện ra vào bài giảng và thay dấu ... bằng nội dung phù hợp.",
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
    tooLarge: "tệp quá lớn (tối đa {{mb, number}} MB cho loại tệp này)",
    missing: "không có tệp {{path}}: tệp của khóa học phải nằm trong thư mục media/ và được gọi là /media/{{slug}}/tên-tệp",
    wrongKind: "tệp {{path}} không phải {{expected}}",
  },
  guide: {
    heading: "Video, âm thanh, phụ đề và tài liệu PDF",
    valuesMedia: "Đường dẫn tới {{kind}} trong thư viện của khóa học, bắt đầu bằng `/media/`",
    p1: "Cũng ở phần tệp của khóa học, tải lên video MP4 hoặc WebM (tối đa {{video, number}} MB, khoảng 5 phút ở độ phân giải 720p), âm thanh MP3 ({{audio, number}} MB), phụ đề WebVTT `.vtt` ({{captions, number}} MB) hoặc tài liệu PDF ({{pdf, number}} MB). Hệ thống xem nội dung tệp chứ không xem tên đuôi: tệp văn bản đổi đuôi thành `.mp4`, hay tệp phụ đề không bắt đầu bằng dòng `WEBVTT`, sẽ bị từ chối.",
    p2: "Dán `<Video src=\"/media/khoa-hoc/video.mp4\" title=\"Tên video\" captions=\"/media/khoa-hoc/video.vtt\" />` vào bài. `title` là tên đọc cho người dùng trình đọc màn hình và hiện dưới video. Nên có phụ đề (`captions`) cho người khiếm thính và người xem ở nơi không bật được loa. `<Audio>` dùng giống như vậy.",
    p3: "Video và âm thanh không tự phát và không tải gì cho đến khi học viên bấm phát, nên bài giảng vẫn mở nhanh trên mạng yếu; khi xem, trình duyệt chỉ tải phần cần thiết và tua được.",
    p4: "`<Attachment src=\"/media/khoa-hoc/mau.pdf\" title=\"Mẫu tờ khai\" />` hiện một nút tải tài liệu kèm dung lượng tệp. Học viên tải tệp về máy để xem hoặc in.",
    p5: "Mỗi thành phần phải trỏ đúng loại tệp: `<Video>` cần video, `captions` cần tệp `.vtt`, `<Attachment>` cần PDF. Trỏ tới tệp không có hoặc sai loại là lỗi, báo ở đúng dòng và cột. Đã tải lên thì không thay được nội dung của tệp: muốn sửa, hãy tải lên với tên mới.",
  },
  errors: {
    unsupported:
      "Tệp này không phải ảnh (PNG, JPEG, WebP, GIF), video (MP4, WebM), âm thanh (MP3), phụ đề WebVTT (.vtt, bắt đầu bằng WEBVTT) hay tài liệu PDF hợp lệ. Hệ thống kiểm tra nội dung tệp, không chỉ tên đuôi.",
    overLimit: "Tệp lớn hơn {{mb, number}} MB, mức lớn nhất cho mọi loại tệp.",
    tooLarge: {
      video: "Video lớn hơn {{mb, number}} MB. Hãy cắt thành nhiều đoạn ngắn hoặc giảm độ phân giải (720p là đủ) rồi tải lên lại.",
      audio: "Tệp âm thanh lớn hơn {{mb, number}} MB. Hãy chia thành nhiều tệp ngắn hoặc giảm chất lượng (128 kbit/s là đủ).",
      captions: "Tệp phụ đề lớn hơn {{mb, number}} MB.",
      pdf: "Tài liệu PDF lớn hơn {{mb, number}} MB. Hãy nén tệp (giảm độ phân giải ảnh quét) rồi tải lên lại.",
    },
  },
};
