package vn.gocua.ffi

import java.io.File
import java.net.HttpURLConnection
import java.net.ServerSocket
import java.net.URI
import java.nio.file.Files
import java.util.concurrent.TimeUnit

/**
 * A real `gocua serve` on a free loopback port with a fresh SQLite database, seeded the way a
 * coordinator does it: with `gocua admin` commands (areas, hamlets, services, unit, team,
 * members, enrolment codes). One per test JVM (see [TestServer]).
 */
class GoCuaServer private constructor(
    private val bin: File,
    val dir: File,
) : AutoCloseable {
    private val db = File(dir, "server.db")
    private var process: Process? = null
    lateinit var url: String
        private set
    lateinit var teamId: String
        private set

    companion object {
        /** Team communes: Phường Bến Tre and Phường Phú Khương (Vĩnh Long, 2025-07 list). */
        const val COMMUNE_A1 = "28789"
        const val COMMUNE_A2 = "28756"
        const val HAMLET_A1_KP1 = "28789-KP1"

        /** In the area list, but not one of the team's communes. */
        const val COMMUNE_OTHER = "29602"

        /** The service the coordinator withdraws in the rejection test; no other test uses it. */
        const val WITHDRAWN_SERVICE = "judicial_record"

        private val UUID = Regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        private val ENROL_CODE = Regex("^[A-Z0-9]{4}-[A-Z0-9]{4}$")

        private const val AREAS = """code,name,level,division_type,parent_code
86,Vĩnh Long,province,tỉnh,
28789,Phường Bến Tre,commune,phường,86
28756,Phường Phú Khương,commune,phường,86
29602,Xã Long Hồ,commune,xã,86
"""
        private const val HAMLETS = """code,name,division_type,commune_code
28789-KP1,Khu phố 1,khu phố,28789
28789-KP2,Khu phố 2,khu phố,28789
28756-KP3,Khu phố 3,khu phố,28756
"""
        private const val SERVICES_HEADER = "key,code,name_vi,name_en,authority,code_confidence,active\n"
        private val SERVICES = listOf(
            "birth_registration,1.001193,Thủ tục đăng ký khai sinh,Birth registration,UBND cấp xã,two public sources",
            "permanent_residence,1.004222,Đăng ký thường trú,Permanent residence registration,Công an cấp xã,scraped from national portal",
            "vneid_level2_activation,,Kích hoạt tài khoản định danh điện tử VNeID mức độ 2,Activate VNeID level-2 electronic identity account,Công an,not a coded procedure",
            "$WITHDRAWN_SERVICE,,Cấp phiếu lý lịch tư pháp,Judicial record certificate,Công an cấp tỉnh,code unverified",
        )

        fun start(): GoCuaServer {
            // GOCUA_BIN (set by scripts/test-bindings.sh), else the path pom.xml derives from the
            // Cargo target directory.
            val path = System.getenv("GOCUA_BIN")?.takeIf { it.isNotBlank() }
                ?: System.getProperty("gocua.bin")
                ?: error("neither GOCUA_BIN nor the system property gocua.bin is set (see pom.xml)")
            val bin = File(path)
            check(bin.canExecute()) {
                "the gocua binary $bin is missing: run `cargo build -p gocua-server --bin gocua` (scripts/test-bindings.sh does)"
            }
            val server = GoCuaServer(bin, Files.createTempDirectory("gocua-kotlin-").toFile())
            try {
                server.seed() // before serving, as a coordinator prepares the database
                server.serve()
            } catch (e: Throwable) {
                server.close()
                throw e
            }
            return server
        }
    }

    /** Starts `gocua serve` on a free port; tries another port if the chosen one was taken meanwhile. */
    private fun serve() {
        repeat(3) { attempt ->
            if (tryServe(attempt)) return
        }
        error("gocua serve did not start:\n${File(dir, "server.log").readText()}")
    }

    private fun tryServe(attempt: Int): Boolean {
        val port = ServerSocket(0).use { it.localPort }
        url = "http://127.0.0.1:$port"
        val log = File(dir, "server.log")
        val process = ProcessBuilder(bin.path, "serve", "--db", db.path, "--listen", "127.0.0.1:$port")
            .redirectErrorStream(true)
            .redirectOutput(if (attempt == 0) ProcessBuilder.Redirect.to(log) else ProcessBuilder.Redirect.appendTo(log))
            .start()
        this.process = process
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
        while (System.nanoTime() < deadline) {
            if (!process.isAlive) return false // e.g. the port was taken between choosing and binding
            // Ours is up when it says so and answers; a stranger on the port would not have printed it.
            if (log.readText().contains("serving on $url")) {
                try {
                    val c = URI("$url/v1/health").toURL().openConnection() as HttpURLConnection
                    c.connectTimeout = 500
                    c.readTimeout = 2000
                    if (c.responseCode == 200) return true
                } catch (_: java.io.IOException) {
                }
            }
            Thread.sleep(100)
        }
        process.destroyForcibly()
        error("gocua serve did not answer /v1/health within 30 s:\n${log.readText()}")
    }

    /** Runs `gocua admin --db … ARGS` and returns its standard output; fails the test on error. */
    fun admin(vararg args: String): String {
        val errFile = File(dir, "admin.err")
        val p = ProcessBuilder(listOf(bin.path, "admin", "--db", db.path) + args)
            .redirectError(errFile) // a file, so a chatty stderr cannot block the process
            .start()
        val out = p.inputStream.bufferedReader().readText()
        check(p.waitFor(60, TimeUnit.SECONDS)) { "gocua admin ${args.joinToString(" ")} hung" }
        val err = errFile.readText()
        check(p.exitValue() == 0) { "gocua admin ${args.joinToString(" ")} failed (${p.exitValue()}):\n$out\n$err" }
        return out
    }

    private fun id(output: String): String =
        output.lines().map { it.trim() }.lastOrNull { UUID.matches(it) } ?: error("no id in:\n$output")

    private fun file(name: String, text: String): String = File(dir, name).apply { writeText(text) }.path

    private fun servicesCsv(withdrawn: Boolean): String =
        SERVICES_HEADER + SERVICES.joinToString("") { row ->
            val active = !(withdrawn && row.startsWith("$WITHDRAWN_SERVICE,"))
            "$row,$active\n"
        }

    private fun seed() {
        admin("import-areas", file("areas.csv", AREAS))
        admin("import-hamlets", file("hamlets.csv", HAMLETS))
        admin("import-services", file("services.csv", servicesCsv(withdrawn = false)))
        val unit = id(admin("create-unit", "--name", "Tỉnh Đoàn Vĩnh Long", "--kind", "province_union", "--area", "86"))
        teamId = id(admin("create-team", "--name", "Đội TNTN Phường Bến Tre", "--unit", unit, "--areas", "$COMMUNE_A1,$COMMUNE_A2"))
    }

    /** Adds a member to the team and issues a one-time enrolment code for their phone. */
    fun enrolCode(memberName: String): String {
        val member = id(admin("add-member", "--team", teamId, "--name", memberName))
        val out = admin("enrol-code", "--team", teamId, "--member", member, "--server-url", url)
        return out.lines().map { it.trim() }.firstOrNull { ENROL_CODE.matches(it) } ?: error("no enrolment code in:\n$out")
    }

    /** The coordinator withdraws (or restores) [WITHDRAWN_SERVICE] from the catalogue. */
    fun withdrawService(withdrawn: Boolean) {
        admin("import-services", file("services.csv", servicesCsv(withdrawn)))
    }

    override fun close() {
        process?.let { p ->
            p.destroy()
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly()
        }
        dir.deleteRecursively()
    }
}

/** The one server of this test JVM, started on first use and stopped when the JVM exits. */
object TestServer {
    val server: GoCuaServer by lazy {
        GoCuaServer.start().also { s -> Runtime.getRuntime().addShutdownHook(Thread { s.close() }) }
    }
}
