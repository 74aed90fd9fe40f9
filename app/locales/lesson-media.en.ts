import type { lessonMediaVi } from "./lesson-media.vi";

export const lessonMediaEn: typeof lessonMediaVi = {
  heading: "Course files: images, video, audio, documents",
  help: "Upload PNG, JPEG, WebP or GIF images (up to {{image, number}} MB), MP4 or WebM video ({{video, number}} MB), MP3 audio ({{audio, number}} MB), WebVTT captions .vtt ({{captions, number}} MB) or PDF documents ({{pdf, number}} MB). After uploading, paste the snippet shown into the lesson and replace the ... with what fits.",
  file: "Choose a file",
  upload: "Upload the file",
  uploaded: "Uploaded {{name}}.",
  paste: "Paste this snippet into the lesson, then replace the ... (image description, video title, document title, captions file):",
  empty: "The course has no files yet.",
  kinds: { image: "Image", video: "Video", audio: "Audio", captions: "Captions", pdf: "PDF" },
  kindNames: { image: "an image", video: "a video (MP4 or WebM)", audio: "audio (MP3)", captions: "WebVTT captions (.vtt)", pdf: "a PDF document" },
  check: {
    missing: "There is no file {{path}} in the course's library. Upload {{kind}} and paste the path the system gives.",
    wrongKind: "The file {{path}} is not {{expected}}. Choose the right kind of file for this component.",
  },
  content: {
    unsupported: "the file is not a valid image, MP4/WebM video, MP3 audio, WebVTT captions or PDF document",
    tooLarge: "the file is too large (at most {{mb, number}} MB for this kind of file)",
    missing: "no file {{path}}: the course's files must be in its media/ folder and be named /media/{{slug}}/file-name",
    wrongKind: "the file {{path}} is not {{expected}}",
  },
  guide: {
    heading: "Video, audio, captions and PDF documents",
    valuesMedia: "The path of {{kind}} in the course's library, starting with `/media/`",
    p1: "Also in the course's files, upload MP4 or WebM video (up to {{video, number}} MB, about 5 minutes at 720p), MP3 audio ({{audio, number}} MB), WebVTT captions `.vtt` ({{captions, number}} MB) or PDF documents ({{pdf, number}} MB). The content of the file is checked, not its extension: a text file renamed `.mp4`, or captions not starting with the line `WEBVTT`, are refused.",
    p2: "Paste `<Video src=\"/media/course/video.mp4\" title=\"Video title\" captions=\"/media/course/video.vtt\" />` into the lesson. `title` is the name screen readers announce and is shown under the video. Add captions (`captions`) for deaf learners and for those who cannot turn the sound on. `<Audio>` works the same way.",
    p3: "Video and audio never play by themselves and load nothing until the learner presses play, so the lesson still opens fast on a weak connection; while watching, the browser loads only what it needs and can seek.",
    p4: "`<Attachment src=\"/media/course/form.pdf\" title=\"Declaration form\" />` shows a download button with the file's size. Learners download the file to read or print it.",
    p5: "Each component must name the right kind of file: `<Video>` a video, `captions` a `.vtt` file, `<Attachment>` a PDF. A missing file or one of the wrong kind is an error, reported at its line and column. An uploaded file's content cannot be replaced: to change it, upload it under a new name.",
  },
  errors: {
    unsupported:
      "This file is not a valid image (PNG, JPEG, WebP, GIF), video (MP4, WebM), audio (MP3), WebVTT captions (.vtt, starting with WEBVTT) or PDF document. The file's content is checked, not just its extension.",
    overLimit: "The file is larger than {{mb, number}} MB, the most any kind of file may be.",
    tooLarge: {
      video: "The video is larger than {{mb, number}} MB. Cut it into shorter clips or lower its resolution (720p is enough) and upload it again.",
      audio: "The audio file is larger than {{mb, number}} MB. Split it into shorter files or lower its quality (128 kbit/s is enough).",
      captions: "The captions file is larger than {{mb, number}} MB.",
      pdf: "The PDF is larger than {{mb, number}} MB. Compress it (lower the resolution of scanned pages) and upload it again.",
    },
  },
};
