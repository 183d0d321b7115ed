package vn.gocua.ui

import java.io.File
import java.util.concurrent.TimeUnit
import vn.gocua.ffi.GoCuaServer
import vn.gocua.ffi.TestServer

/**
 * The journey's own corner of the test server: a unit, a team working in Phường Bến Tre and
 * Phường Phú Khương, and one member, made with `gocua admin` as a coordinator would, so that the
 * coordinator can change this team's areas without touching the team the other tests share.
 * [count] reads the server's own SQLite database (read-only, beside the running server) to check
 * what it stored.
 */
class JourneyServer(private val server: GoCuaServer = TestServer.server) {
    val teamId: String
    private val memberId: String

    init {
        val unit = id(server.admin("create-unit", "--name", "Tỉnh Đoàn Vĩnh Long (hành trình)", "--kind", "province_union", "--area", "86"))
        teamId = id(server.admin("create-team", "--name", "Đội hành trình Bến Tre", "--unit", unit, "--areas", "${GoCuaServer.COMMUNE_A1},${GoCuaServer.COMMUNE_A2}"))
        memberId = id(server.admin("add-member", "--team", teamId, "--name", "Nguyễn Thị Thu Hà"))
    }

    /** The `gocua://enrol?server=…&code=…` link of a new one-time code, as the QR code carries it. */
    fun enrolLink(): String {
        val out = server.admin("enrol-code", "--team", teamId, "--member", memberId, "--server-url", server.url)
        return out.lines().map { it.trim() }.firstOrNull { it.startsWith("QR: ") }?.removePrefix("QR: ")
            ?: error("no QR link in:\n$out")
    }

    /** The coordinator sets the areas this team works in. */
    fun setAreas(vararg codes: String) {
        server.admin("set-team-areas", "--team", teamId, "--areas", codes.joinToString(","))
    }

    /** One number the server's database answers for [sql] (`?` is this team's id). */
    fun count(sql: String): Int = query(sql).single().single().toInt()

    /** The rows the server's database answers for [sql] (`?` is this team's id), each as its columns' texts. */
    fun query(sql: String): List<List<String>> {
        // Python's sqlite3 (python3 is already needed by the binding tests), read-only: the server
        // keeps serving, and nothing here can change its data.
        val script = """
            import sqlite3, sys
            c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            for row in c.execute(sys.argv[2], (sys.argv[3],) * sys.argv[2].count("?")):
                print("\t".join("" if v is None else str(v) for v in row))
        """.trimIndent()
        val p = ProcessBuilder("python3", "-c", script, File(server.dir, "server.db").path, sql, teamId).redirectErrorStream(true).start()
        val out = p.inputStream.bufferedReader().readText()
        check(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) { "reading the server's database failed: $out" }
        return out.lines().filter { it.isNotEmpty() }.map { it.split("\t") }
    }

    private fun id(output: String): String =
        output.lines().map { it.trim() }.lastOrNull { UUID.matches(it) } ?: error("no id in:\n$output")

    private companion object {
        val UUID = Regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    }
}
