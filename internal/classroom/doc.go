//go:build !js

// Package classroom is cnnplay's class mode on the server: a class's
// drawings in one SQLite file, the students' submit API, the teacher's API
// and the two small pages that use them.
//
// One server holds one class. Students open the join URL (a QR code on the
// teacher's page carries it), type nothing but an optional nickname, and
// draw the digits (or the teacher's class names) they are prompted for.
// Each drawing arrives as strokes (points in canvas pixels and times in
// milliseconds); the server validates and stores them, then renders the
// 28×28 image the network sees with the page's own preprocessing
// (internal/strokes and nn/preprocess) and stores it beside them. A client
// therefore cannot send an image that disagrees with its strokes.
//
// Invariants:
//
//   - A drawing is acknowledged (201 or 200) only after the transaction
//     that stores it has committed with synchronous=FULL in WAL mode, so an
//     acknowledged drawing survives kill -9 of the server and a power cut.
//     Commits are grouped: concurrent submissions share one transaction
//     and one fsync (see writer). The image is derived from the strokes
//     just after the acknowledgement (see renderer), so a drawing whose
//     image a crash kept from being stored gets it when the store opens.
//   - Every drawing carries an idempotency key chosen by the client; a
//     retry with the same key stores nothing new and is answered as the
//     first was. A deleted drawing keeps its key (a tombstone without
//     strokes or image), so a late retry cannot bring it back.
//   - The class code lets a client join and submit, nothing else: no
//     student endpoint returns a drawing. Every teacher endpoint needs the
//     teacher's key in the Authorization header (Bearer), compared in
//     constant time. No cookie is ever set, so the browser never sends a
//     credential by itself and cross-site request forgery has nothing to
//     use.
//   - Every API is POST, so the playground's service worker, which caches
//     GET responses of its origin, never stores or replays class data.
//   - Bodies are bounded before they are read; bad input is a 4xx with a
//     message, never a panic.
package classroom
