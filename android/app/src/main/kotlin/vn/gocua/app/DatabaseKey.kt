package vn.gocua.app

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.util.Base64
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import uniffi.gocua_ffi.generateKey

/**
 * The 32-byte key of the encrypted store (SQLCipher). It is made once by the core
 * ([generateKey]), wrapped with an AES-GCM key that never leaves the Android Keystore, and kept
 * wrapped in private preferences. Without the Keystore key (app data copied to another phone,
 * or the Keystore cleared) the store cannot be opened: that is the point. What the app does then is
 * in [GoCuaApp] (the lost-key path).
 */
class DatabaseKey(private val context: Context) {
    private val prefs = context.getSharedPreferences("gocua-key", Context.MODE_PRIVATE)

    /**
     * The store's key; made on first use. Throws `AEADBadTagException` when the kept key can no
     * longer be unwrapped (the Keystore key was deleted and made anew) and
     * `KeyPermanentlyInvalidatedException` when the Keystore invalidated it: the key is lost.
     */
    fun get(): ByteArray {
        val wrapped = prefs.getString(WRAPPED, null)
        val iv = prefs.getString(IV, null)
        if (wrapped != null && iv != null) {
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.DECRYPT_MODE, keystoreKey(), GCMParameterSpec(128, Base64.decode(iv, Base64.NO_WRAP)))
            return cipher.doFinal(Base64.decode(wrapped, Base64.NO_WRAP))
        }
        return create()
    }

    /** Forgets the lost key and makes a new one (after the unreadable store was discarded). */
    fun renew(): ByteArray {
        prefs.edit().remove(WRAPPED).remove(IV).commit()
        return create()
    }

    private fun create(): ByteArray {
        val key = generateKey()
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, keystoreKey())
        prefs.edit()
            .putString(WRAPPED, Base64.encodeToString(cipher.doFinal(key), Base64.NO_WRAP))
            .putString(IV, Base64.encodeToString(cipher.iv, Base64.NO_WRAP))
            .commit() // synchronously: a key that was not saved would lose the store
        return key
    }

    private fun keystoreKey(): SecretKey {
        val ks = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }
        (ks.getEntry(ALIAS, null) as? KeyStore.SecretKeyEntry)?.let { return it.secretKey }
        val gen = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE)
        gen.init(
            KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                // Background sync opens the store while the phone is locked: no user authentication.
                .setUserAuthenticationRequired(false)
                .build(),
        )
        return gen.generateKey()
    }

    private companion object {
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
        const val ALIAS = "gocua-store-key"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val WRAPPED = "wrapped"
        const val IV = "iv"
    }
}
