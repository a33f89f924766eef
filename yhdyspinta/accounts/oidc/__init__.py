"""Sign-in with an organisation's OpenID Connect provider: allauth's client, made strict.

allauth's stock client skips the ID token's signature when the token came straight from the
token endpoint and sends no nonce. Ours always checks the signature (with the provider's
published keys), the issuer, the audience and the expiry, and sends a fresh nonce with every
sign-in that the answer must carry back (checked in `signin.SocialAccountAdapter`).
"""
