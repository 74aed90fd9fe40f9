// Limits of the trainer area, shared by its pages and app/content/authoring.server.ts.

/** Course addresses that are pages of the trainer area itself. */
export const RESERVED_COURSE_SLUGS: readonly string[] = ["new", "guide"];

/** Choice rows in the question form. */
export const MAX_CHOICES = 6;

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** A stored media file name: what sanitising an upload's name can produce. */
export const MEDIA_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
