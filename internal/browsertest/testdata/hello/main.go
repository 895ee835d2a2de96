// Command hello is the smallest program for TestWasm to build.
package main

func main() { println("hello") }
