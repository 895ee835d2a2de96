//go:build !js

package classroom

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the schema's versions, in order: migrations[i] takes a
// file from version i to i+1 (PRAGMA user_version). Append only; never
// edit one that has shipped.
var migrations = []string{
	// 1: the class, its students and their drawings.
	`CREATE TABLE class (
		id      INTEGER PRIMARY KEY CHECK (id = 1),
		code    TEXT    NOT NULL,            -- the class code students type
		classes TEXT    NOT NULL,            -- JSON array of class names
		locked  INTEGER NOT NULL DEFAULT 0,  -- 1: no submissions accepted
		created INTEGER NOT NULL             -- Unix time, ms
	);
	CREATE TABLE students (
		device   TEXT PRIMARY KEY,           -- random id the student's page keeps
		nickname TEXT NOT NULL,
		joined   INTEGER NOT NULL,           -- Unix time, ms
		seen     INTEGER NOT NULL
	);
	CREATE TABLE drawings (
		id       INTEGER PRIMARY KEY,
		key      TEXT    NOT NULL UNIQUE,    -- the client's idempotency key
		device   TEXT    NOT NULL,
		nickname TEXT    NOT NULL,
		label    TEXT    NOT NULL,           -- the class the student was asked for
		strokes  BLOB,                       -- JSON [[[x,y,t],...],...]; NULL once deleted
		image    BLOB,                       -- 28×28 bytes, 255 = ink; NULL once deleted
		created  INTEGER NOT NULL,           -- Unix time, ms
		flagged  INTEGER NOT NULL DEFAULT 0,
		deleted  INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX drawings_live ON drawings (deleted, id);`,
}

// migrate brings db to the latest schema, one transaction per version.
func migrate(ctx context.Context, db *sql.DB) error {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this cnnplay knows (%d): use a newer cnnplay", v, len(migrations))
	}
	for ; v < len(migrations); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration to version %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration to version %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration to version %d: %w", v+1, err)
		}
	}
	return nil
}
