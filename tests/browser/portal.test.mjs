// The citizen portal (UI.md, "The citizen portal"), by its accessible names, with JavaScript
// on and off.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { accessible, fixture, heading, launch, visitor } from "./support.mjs";

// A 1×1 PNG, a one-line PDF, and a file one byte over the limit.
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const pdf = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
const tooLarge = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(2 * 1024 * 1024 - 8, 32)]);

/** The six-digit code last sent to `to` through the webhook gateway. */
async function lastCode(to) {
  const received = await (await fetch(fixture.gateway)).json();
  const message = received.reverse().find((m) => m.to.email === to || m.to.phone === to);
  return message?.text.match(/\b(\d{6})\b/)?.[1];
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const js of [true, false]) {
  describe(`with JavaScript ${js ? "on" : "off"}`, () => {
    test("a report without an account, then tracked with its access code", async () => {
      const page = await visitor(browser, js);
      await page.goto("/");
      assert.equal(await page.locator("html").getAttribute("lang"), "id");
      assert.match(await heading(page), /Sampaikan laporan Anda langsung kepada instansi pemerintah berwenang/);
      await accessible(page);
      const form = page.locator("form[action='/laporan']");
      await form.getByRole("group", { name: "Klasifikasi" }).getByLabel("Aspirasi").check();
      const title = `Saluran air tersumbat ${js ? "dengan" : "tanpa"} JavaScript`;
      await page.getByLabel("Judul laporan").fill(title);
      await page.getByLabel("Isi laporan").fill("Saluran air di Gang Mawar tersumbat sampah sejak hujan pekan lalu.");
      await page.getByLabel("Kategori").selectOption("Infrastruktur");
      await page.getByLabel("Tanggal kejadian").fill("2026-11-20");
      // The regions are complete selects without JavaScript; with it the regencies narrow
      // to the province and the districts are offered as they are typed.
      await page.getByLabel("Provinsi").selectOption({ label: "Jawa Barat" });
      if (js) {
        assert.equal(await page.locator("optgroup[label='Aceh']").evaluate((g) => g.disabled), true);
      }
      await page.getByLabel("Kabupaten/Kota").selectOption({ label: "Kota Bandung" });
      await page.getByLabel("Kecamatan").fill("Coblong");
      if (js) {
        await page.locator("#kecamatan-daftar option[value='Coblong']").waitFor({ state: "attached" });
      }
      await page.getByLabel("Anonim").check();
      await page.getByLabel("Email").fill("warga@contoh.id");
      await page.getByRole("button", { name: "LAPOR!" }).click();

      await page.waitForURL(/\/laporan\/terkirim\//);
      await accessible(page);
      const tracking = (await page.locator("dt:text-is('Nomor pelacakan') + dd").textContent()).trim();
      const code = (await page.locator("dt:text-is('Kode akses') + dd").textContent()).trim();
      assert.match(tracking, /^\d{8}$/);
      assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      // Shown once: a reload shows the tracking id alone.
      await page.reload();
      assert.equal(await page.getByText(code).count(), 0);

      // Not yet verified: nobody else sees it.
      const stranger = await visitor(browser, js);
      const answer = await stranger.goto(`/pengaduan/${tracking}`);
      assert.equal(answer.status(), 404);
      await accessible(stranger);

      await page.goto("/lacak");
      await accessible(page);
      await page.getByLabel("Nomor pelacakan").fill(tracking);
      await page.getByLabel("Kode akses").fill(code);
      await page.getByRole("button", { name: "Lacak" }).click();
      await page.waitForURL(`**/pengaduan/${tracking}`);
      assert.equal(await heading(page), title);
      await page.getByText("Belum Terverifikasi").first().waitFor();
      assert.equal((await page.locator("dt:text-is('Kategori') + dd").textContent()).trim(), "Infrastruktur");
      await page.getByText("Kota Bandung").first().waitFor();
      await accessible(page);
      await page.getByRole("button", { name: "Keluar" }).click();
      await page.waitForURL((url) => url.pathname === "/");
      assert.equal((await page.goto(`/pengaduan/${tracking}`)).status(), 404);
      assert.deepEqual(page.problems, []);
      await stranger.context().close();
      await page.context().close();
    });

    test("a form with problems keeps what was typed and says what is wrong", async () => {
      const page = await visitor(browser, js);
      await page.goto("/");
      await page.getByLabel("Judul laporan").fill("Jal");
      await page.getByLabel("Provinsi").selectOption({ label: "Jawa Tengah" });
      await page.getByRole("button", { name: "LAPOR!" }).click();
      await page.getByRole("alert").waitFor();
      assert.match(await page.title(), /^Kesalahan: /);
      const summary = page.getByRole("alert");
      assert.equal((await summary.getByRole("heading").textContent()).trim(), "Ada masalah");
      await summary.getByRole("link", { name: /Judul laporan harus/ }).click();
      assert.equal(await page.getByLabel("Judul laporan").inputValue(), "Jal");
      assert.equal(await page.getByLabel("Provinsi").inputValue(), "33", "Jawa Tengah, by its code");
      if (js) {
        // The script moved the focus to the summary when the page loaded; the link then to its field.
        assert.equal(await page.evaluate(() => document.activeElement.id), "judul");
      }
      await accessible(page);
      await page.context().close();
    });

    test("the agency addressed is found by its name, never from a list of all", async () => {
      const page = await visitor(browser, js);
      await page.goto("/");
      await page.getByLabel("Judul laporan").fill("Trotoar rusak di depan sekolah");
      await page.getByLabel("Isi laporan").fill("Trotoar di depan SD Negeri 1 rusak dan membahayakan anak-anak.");
      await page.getByLabel("Kategori").selectOption({ label: "Infrastruktur: Jalan dan Jembatan" });
      await page.getByLabel("Tanggal kejadian").fill("2026-11-20");
      await page.getByLabel("Provinsi").selectOption({ label: "Jawa Barat" });
      await page.getByLabel("Kabupaten/Kota").selectOption({ label: "Kota Bandung" });
      const agency = page.getByLabel("Instansi tujuan");
      if (js) {
        // The script suggests the names; the one chosen is sent by its id.
        await agency.fill("dinas dua");
        await page.locator("#instansi-daftar option[value='Dinas Dua A']").waitFor({ state: "attached" });
        await agency.fill("Dinas Dua A");
      } else {
        // Without it, the form comes back with the agencies that match, to pick one.
        await agency.fill("Dinas");
        await page.getByRole("button", { name: "LAPOR!" }).click();
        await page.getByRole("alert").getByText(/Pilih salah satu instansi/).waitFor();
        await accessible(page);
        const matches = page.getByRole("group", { name: "Pilih instansi tujuan" });
        assert.equal(await matches.getByRole("radio").count(), 2);
        await matches.getByLabel("Dinas Dua A").check();
        assert.equal(await page.getByLabel("Judul laporan").inputValue(), "Trotoar rusak di depan sekolah");
      }
      await page.getByRole("button", { name: "LAPOR!" }).click();
      await page.waitForURL(/\/laporan\/terkirim\//);
      const tracking = (await page.locator("dt:text-is('Nomor pelacakan') + dd").textContent()).trim();
      const shown = await fetch(`${fixture.base}/v1/reports/${tracking}`, {
        headers: { authorization: `Bearer ${fixture.adminToken}` },
      });
      const report = await shown.json();
      assert.equal(report.target_agency.name, "Dinas Dua A");
      assert.equal(report.category, "infrastruktur.jalan");
      await page.context().close();
    });

    test("files go with a report: checked before they are sent, refused beside the field", async () => {
      const page = await visitor(browser, js);
      await page.goto("/");
      const title = `Genangan air di pasar ${js ? "dengan" : "tanpa"} JavaScript`;
      await page.getByLabel("Judul laporan").fill(title);
      await page.getByLabel("Isi laporan").fill("Air menggenang di lorong Pasar Kosambi setiap hujan turun.");
      await page.getByLabel("Kategori").selectOption({ label: "Infrastruktur" });
      await page.getByLabel("Tanggal kejadian").fill("2026-11-20");
      await page.getByLabel("Provinsi").selectOption({ label: "Jawa Barat" });
      await page.getByLabel("Kabupaten/Kota").selectOption({ label: "Kota Bandung" });
      const files = page.getByLabel("Lampiran");
      await page.getByText("Ukuran berkas maksimal 2 MB").first().waitFor();
      // Too large: with the script it is said before anything is sent; without it, the form
      // comes back with the message beside the field, what was typed kept, nothing stored.
      await files.setInputFiles([{ name: "besar.pdf", mimeType: "application/pdf", buffer: tooLarge }]);
      if (js) {
        await page.locator("#lampiran-status").getByText(/Ukuran berkas maksimal 2 MB/).waitFor();
        await page.getByRole("button", { name: "LAPOR!" }).click();
        assert.equal(new URL(page.url()).pathname, "/");
      } else {
        await page.getByRole("button", { name: "LAPOR!" }).click();
        await page.getByRole("alert").getByText(/Ukuran berkas maksimal 2 MB: besar.pdf/).waitFor();
        assert.equal(await page.getByLabel("Judul laporan").inputValue(), title);
        await accessible(page);
      }
      const none = await fetch(`${fixture.base}/v1/inbox?box=verification&q=${encodeURIComponent(title)}`, {
        headers: { authorization: `Bearer ${fixture.adminToken}` },
      });
      assert.deepEqual((await none.json()).items, [], "nothing of the report is stored");
      const chosen = [
        { name: "genangan.png", mimeType: "image/png", buffer: png },
        { name: "surat.pdf", mimeType: "application/pdf", buffer: pdf },
      ];
      await files.setInputFiles(chosen);
      // Another field wrong: the files the script uploaded stay with the form; posted ones are
      // to be chosen again.
      await page.getByLabel("Judul laporan").fill("");
      await page.getByRole("button", { name: "LAPOR!" }).click();
      await page.getByRole("alert").getByText(/judul laporan/i).waitFor();
      if (js) {
        await page.getByText("Berkas yang sudah diunggah tetap disertakan.").waitFor();
      } else {
        await page.getByText(/Berkas yang Anda pilih belum tersimpan/).waitFor();
        await files.setInputFiles(chosen);
      }
      await page.getByLabel("Judul laporan").fill(title);
      await page.getByRole("button", { name: "LAPOR!" }).click();
      await page.waitForURL(/\/laporan\/terkirim\//);
      const tracking = (await page.locator("dt:text-is('Nomor pelacakan') + dd").textContent()).trim();
      const shown = await fetch(`${fixture.base}/v1/reports/${tracking}`, {
        headers: { authorization: `Bearer ${fixture.adminToken}` },
      });
      const report = await shown.json();
      assert.deepEqual(report.attachments.map((a) => a.filename).sort(), ["genangan.png", "surat.pdf"]);
      await page.context().close();
    });

    test("the public feed, its search, and what the public never sees", async () => {
      const page = await visitor(browser, js);
      await page.goto("/laporan");
      assert.equal(await heading(page), "Laporan publik");
      await accessible(page);
      await page.getByRole("link", { name: "Lampu jalan mati di Jalan Merdeka" }).waitFor();
      assert.equal(await page.getByText("Dugaan korupsi dana desa").count(), 0);
      await page.getByLabel("Cari").fill("pungutan");
      await page.getByRole("button", { name: "Cari" }).click();
      await page.waitForURL(/q=pungutan/);
      assert.equal(await page.getByRole("link", { name: "Lampu jalan mati di Jalan Merdeka" }).count(), 0);
      await page.getByRole("link", { name: "Pungutan liar di kantor kelurahan" }).click();
      await page.waitForURL(`**/pengaduan/${fixture.anonymous}`);
      assert.equal(await page.getByText(fixture.citizen.name).count(), 0, "an anonymous reporter's name");
      await page.getByText("Belum Ditindaklanjuti").first().waitFor();
      await accessible(page);
      // The agency that holds it, and its public reports: never the confidential one.
      await page.getByRole("link", { name: "Dinas Satu A" }).click();
      await page.waitForURL(/\/instansi\//);
      assert.equal(await heading(page), "Dinas Satu A");
      await page.getByRole("link", { name: "Lampu jalan mati di Jalan Merdeka" }).waitFor();
      assert.equal(await page.getByText("Dugaan korupsi dana desa").count(), 0);
      await accessible(page);
      assert.equal((await page.goto("/instansi/01JDF5M0000000000000000000")).status(), 404);
      assert.equal((await page.goto(`/pengaduan/${fixture.confidential}`)).status(), 404);
      await page.context().close();
    });

    test("a citizen signs in, rates the answer and signs out", async () => {
      const page = await visitor(browser, js);
      await page.goto("/masuk");
      await accessible(page);
      await page.getByLabel("Email atau nomor telepon").fill(fixture.citizen.login);
      await page.getByLabel("Kata sandi").fill(fixture.citizen.password);
      await page.getByRole("button", { name: "Masuk" }).click();
      await page.waitForURL("**/saya");
      assert.equal(await heading(page), "Laporan saya");
      // Her own reports, anonymous ones among them; nobody else's.
      await page.getByRole("link", { name: "Lampu jalan mati di Jalan Merdeka" }).waitFor();
      await page.getByRole("link", { name: "Pungutan liar di kantor kelurahan" }).waitFor();
      assert.equal(await page.getByRole("link", { name: "Dugaan korupsi dana desa" }).count(), 0);
      await accessible(page);
      await page.goto(`/pengaduan/${fixture.answered}`);
      await page.getByText("Sedang Diproses").first().waitFor();
      await page.getByLabel("Balasan").fill(`Terima kasih, saya tunggu (${js ? "dengan" : "tanpa"} JavaScript).`);
      await page.getByRole("button", { name: "Kirim balasan" }).click();
      await page.getByText("Terima kasih, saya tunggu").first().waitFor();
      const rating = page.getByRole("group", { name: "Penilaian" });
      if (js) {
        await rating.getByLabel("4").check();
        await page.getByLabel("Komentar").fill("Cepat ditanggapi.");
        await page.getByRole("button", { name: "Kirim penilaian" }).click();
        await page.getByText("Nilai: 4 dari 5").waitFor();
      } else {
        // Without a choice the form says so, and changes nothing.
        await page.getByRole("button", { name: "Kirim penilaian" }).click();
        await page.getByRole("alert").getByText("Pilih nilai 1 sampai 5.").waitFor();
        await accessible(page);
      }
      await page.getByRole("button", { name: "Keluar" }).click();
      await page.waitForURL((url) => url.pathname === "/");
      await page.goto("/saya");
      await page.waitForURL("**/masuk");
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    test("a returned report is completed on its form, filled in, and sent again", async () => {
      const page = await visitor(browser, js);
      const tracking = fixture.returned[js ? 0 : 1];
      // Nobody else may complete it.
      assert.equal((await page.goto(`/pengaduan/${tracking}/lengkapi`)).status(), 404);
      await page.goto("/masuk");
      await page.getByLabel("Email atau nomor telepon").fill(fixture.citizen.login);
      await page.getByLabel("Kata sandi").fill(fixture.citizen.password);
      await page.getByRole("button", { name: "Masuk" }).click();
      await page.waitForURL("**/saya");
      await page.goto(`/pengaduan/${tracking}`);
      await page.getByText("Dikembalikan").first().waitFor();
      await page.getByText("Sebutkan nama jalannya.").waitFor();
      await page.getByRole("link", { name: "Lengkapi laporan" }).click();
      await page.waitForURL(`**/pengaduan/${tracking}/lengkapi`);
      assert.equal(await heading(page), "Lengkapi laporan");
      await accessible(page);
      assert.match(await page.getByLabel("Judul laporan").inputValue(), /^Jalan rusak di kampung nomor/);
      assert.equal(await page.getByLabel("Kabupaten/Kota").inputValue(), "32.73");
      const completed = "Jalan Cikutra berlubang besar di depan masjid sejak sebulan dan membahayakan.";
      await page.getByLabel("Isi laporan").fill(completed);
      await page.getByRole("button", { name: "Kirim ulang" }).click();
      await page.waitForURL(`**/pengaduan/${tracking}`);
      await page.getByText("Belum Terverifikasi").first().waitFor();
      await page.getByText(completed).first().waitFor();
      assert.equal(await page.getByRole("link", { name: "Lengkapi laporan" }).count(), 0);
      await page.context().close();
    });

    test("a citizen registers, is signed in at once, and confirms the address by a code", async () => {
      const page = await visitor(browser, js);
      const email = `warga.${js ? "js" : "tanpa-js"}@warga.test`;
      await page.goto("/daftar");
      assert.equal(await heading(page), "Daftar");
      await accessible(page);
      await page.getByLabel("Nama").fill("Warga Baru");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Kata sandi").fill("pendek");
      await page.getByRole("button", { name: "Daftar" }).click();
      await page.getByRole("alert").getByText(/Kata sandi harus 10/).waitFor();
      assert.equal(await page.getByLabel("Email").inputValue(), email);
      await accessible(page);
      await page.getByLabel("Kata sandi").fill("kata-sandi-yang-panjang");
      await page.getByRole("button", { name: "Daftar" }).click();
      await page.waitForURL("**/konfirmasi");
      assert.equal(await heading(page), "Konfirmasi kontak");
      await accessible(page);
      const code = await lastCode(email);
      assert.match(code, /^\d{6}$/);
      await page.getByLabel("Kode").fill(code === "000000" ? "111111" : "000000");
      await page.getByRole("button", { name: "Konfirmasi" }).click();
      await page.getByRole("alert").getByText(/Kode salah/).waitFor();
      await page.getByLabel("Kode").fill(code);
      await page.getByRole("button", { name: "Konfirmasi" }).click();
      await page.waitForURL("**/saya");
      assert.equal(await heading(page), "Laporan saya");
      await page.context().close();
    });

    test("a forgotten password is reset by a code sent to the confirmed address", async () => {
      const email = `lupa.${js ? "js" : "tanpa-js"}@warga.test`;
      const api = (path, body, token) => fetch(`${fixture.base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      assert.equal((await api("/v1/auth/register", { name: "Lupa", email, password: "kata-sandi-yang-lama" })).status, 201);
      const { access_token } = await (await api("/v1/auth/login", { login: email, password: "kata-sandi-yang-lama" })).json();
      const confirmed = await api("/v1/me/confirmation", { channel: "email", code: await lastCode(email) }, access_token);
      assert.equal(confirmed.status, 200);

      const page = await visitor(browser, js);
      await page.goto("/masuk");
      await page.getByRole("link", { name: "Atur ulang" }).click();
      await page.waitForURL("**/lupa-kata-sandi");
      assert.equal(await heading(page), "Lupa kata sandi");
      await accessible(page);
      await page.getByLabel("Email atau nomor telepon").fill(email);
      await page.getByRole("button", { name: "Kirim kode" }).click();
      await page.getByLabel("Kode").waitFor();
      await accessible(page);
      await page.getByLabel("Kode").fill(await lastCode(email));
      await page.getByLabel("Kata sandi baru").fill("kata-sandi-yang-baru");
      await page.getByRole("button", { name: "Simpan" }).click();
      await page.waitForURL("**/masuk?sandi=baru");
      await page.getByText("Kata sandi Anda telah diganti").waitFor();
      await page.getByLabel("Email atau nomor telepon").fill(email);
      await page.getByLabel("Kata sandi").fill("kata-sandi-yang-baru");
      await page.getByRole("button", { name: "Masuk" }).click();
      await page.waitForURL("**/saya");
      // The old password is gone.
      const old = await api("/v1/auth/login", { login: email, password: "kata-sandi-yang-lama" });
      assert.equal(old.status, 401);
      await page.context().close();
    });

    test("a page that does not exist", async () => {
      const page = await visitor(browser, js);
      const answer = await page.goto("/tidak-ada");
      assert.equal(answer.status(), 404);
      assert.equal(await heading(page), "Halaman tidak ditemukan");
      await accessible(page);
      await page.context().close();
    });
  });
}

test("a forged form changes nothing", async () => {
  const context = await browser.newContext({ baseURL: fixture.base });
  const page = await context.newPage();
  await page.goto("/");
  const unique = `Laporan palsu ${Date.now()}`;
  // A page of another site can post this browser's cookies, but cannot read its form token.
  const answer = await context.request.post("/laporan", {
    form: {
      csrf: "0".repeat(64), klasifikasi: "complaint", judul: unique,
      isi: "Isi laporan palsu yang cukup panjang untuk diterima.", kategori: "Infrastruktur",
      tanggal: "2026-11-20", provinsi: "Jawa Barat", kabupaten: "Kota Bandung",
    },
    maxRedirects: 0,
  });
  assert.equal(answer.status(), 403);
  const inbox = await fetch(`${fixture.base}/v1/inbox?box=verification&q=${encodeURIComponent("palsu")}`, {
    headers: { authorization: `Bearer ${fixture.adminToken}` },
  });
  assert.equal(inbox.status, 200);
  assert.deepEqual((await inbox.json()).items, []);
  await context.close();
});
