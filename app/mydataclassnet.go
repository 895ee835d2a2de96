package app

import (
	"errors"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The browser's side of the class import (mydataclass.go): the key from
// the teacher's tab, and the teacher API's requests. Each calls done on
// the UI goroutine, exactly once.

// askTeacherKey asks the tab that opened the page (window.opener) for the
// teacher's key. The question goes to this origin only, and only an
// answer of this origin from that very tab is taken; without one within
// classKeyWait, done gets an error.
func askTeacherKey(ctx app.Context, done func(ctx app.Context, key string, err error)) {
	win := app.Window()
	opener := win.Get("opener")
	if !opener.Truthy() {
		done(ctx, "", errors.New("No teacher's page opened this tab: press Test and train in the playground on the teacher's page (serve -class), or import the class's zip with Import zip."))
		return
	}
	origin := win.Get("location").Get("origin").String()
	var listener app.Func
	finished := false
	finish := func(ctx app.Context, key string, err error) {
		if finished {
			return
		}
		finished = true
		win.Call("removeEventListener", "message", listener)
		listener.Release()
		done(ctx, key, err)
	}
	listener = app.FuncOf(func(this app.Value, args []app.Value) any {
		if len(args) == 0 {
			return nil
		}
		e := args[0]
		if e.Get("origin").String() != origin || !e.Get("source").Equal(opener) {
			return nil
		}
		d := e.Get("data")
		if d.Type() != app.TypeObject || d.Get("type").String() != classKeyGive || d.Get("key").Type() != app.TypeString {
			return nil
		}
		key := d.Get("key").String()
		ctx.Dispatch(func(ctx app.Context) { finish(ctx, key, nil) })
		return nil
	})
	win.Call("addEventListener", "message", listener)
	ask := win.Get("Object").New()
	ask.Set("type", classKeyAsk)
	opener.Call("postMessage", ask, origin)
	ctx.After(classKeyWait, func(ctx app.Context) {
		finish(ctx, "", errors.New("The teacher's page did not answer: press Test and train in the playground on the teacher's page again. Nothing was changed."))
	})
}

// teacherPost posts the JSON body to the teacher API's endpoint name with
// the key in the Authorization header, as web/class/teacher.js does (never
// in the URL), and passes done the answer's status and body, or status 0
// and the error when no answer came.
func teacherPost(ctx app.Context, key, name, body string, done func(ctx app.Context, status int, body []byte, err error)) {
	win := app.Window()
	headers := win.Get("Object").New()
	headers.Set("Content-Type", "application/json")
	headers.Set("Authorization", "Bearer "+key)
	opts := win.Get("Object").New()
	opts.Set("method", "POST")
	opts.Set("cache", "no-store")
	opts.Set("credentials", "omit")
	opts.Set("headers", headers)
	opts.Set("body", body)
	failed := func(err error) { ctx.Dispatch(func(ctx app.Context) { done(ctx, 0, nil, err) }) }
	settle(win.Call("fetch", classTeacherAPI+name, opts), func(res app.Value) {
		status := res.Get("status").Int()
		settle(res.Call("arrayBuffer"), func(buf app.Value) {
			u8 := win.Get("Uint8Array").New(buf)
			b := make([]byte, u8.Get("byteLength").Int())
			app.CopyBytesToGo(b, u8)
			ctx.Dispatch(func(ctx app.Context) { done(ctx, status, b, nil) })
		}, failed)
	}, failed)
}

// settle waits for the promise p on the JavaScript side and calls ok with
// its value or fail with why it was rejected (a rejection is always
// handled, so none shows as an uncaught error).
func settle(p app.Value, ok func(app.Value), fail func(error)) {
	var okFn, failFn app.Func
	release := func() {
		okFn.Release()
		failFn.Release()
	}
	okFn = app.FuncOf(func(this app.Value, args []app.Value) any {
		release()
		v := app.Undefined()
		if len(args) > 0 {
			v = args[0]
		}
		ok(v)
		return nil
	})
	failFn = app.FuncOf(func(this app.Value, args []app.Value) any {
		release()
		msg := "failed"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		fail(errors.New(msg))
		return nil
	})
	p.Call("then", okFn, failFn)
}
