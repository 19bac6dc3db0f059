# HP on Potsdam-3 (json/server/potsdam.json): τ 0.4, no consistency term, ρ 1 (every token in the
# denominator), code dim 256, pool 1024, code-pool refresh every 20 iterations, EMA 0.999, λ
# warm-up 100, 10 epochs.
_base_ = ['./epochs.py', '../../_base_/datasets/potsdam3.py']
code_dim = 256
epochs = 10
model = dict(hidden_positive_loss=dict(temperature=0.4, rho=1.0), consistency_weight=0.0,
             pool_size=1024, renew_interval=20, ema_momentum=0.999, warmup=100)
train_dataloader = dict(batch_size=64, sampler=dict(type='DefaultSampler', shuffle=True))
